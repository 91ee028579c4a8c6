import { BridgeTestEnv } from '../../harness/bridge-env';
import { modelGate } from '../../harness/installed-models';
import { waitUntil } from '../../harness/poll-until';
import { spoken, streamMicrophone, type MicrophoneLog } from '../../harness/robot-voice';
import { activityPayloads, largestPayloadBytes } from '../../harness/history-events';
import { closeTestRuntimes } from '../../harness/test-runtime';
import type { TurnRecord } from '../../../src/shared/voice-session';

let t: BridgeTestEnv;
const asr = modelGate('voice.asr');
const tts = modelGate('voice.tts');
const ANSWER_WAIT_MS = 120_000;

beforeAll(async () => {
  t = await BridgeTestEnv.startVoice('en');
}, 120_000);

afterAll(async () => {
  await t?.close();
  await closeTestRuntimes();
});

function sessionOf(): string {
  return t.logs.lines.find((l) => typeof l.session === 'string')?.session as string;
}

/** The session's turns once `count` are recorded (a turn is recorded when its last answer is out). */
async function turnsRecorded(count: number): Promise<TurnRecord[]> {
  const until = Date.now() + ANSWER_WAIT_MS;
  for (;;) {
    const turns = await t.env.client.workflow.getHandle(sessionOf()).query<TurnRecord[]>('turns');
    if (turns.length >= count || Date.now() > until) return turns;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

(asr.installed && tts.installed ? test : test.skip)(`English robot: its 20 ms microphone frames become turns with transcript, intent, reply and speech [${asr.reason}; ${tts.reason}]`, async () => {
  let log: MicrophoneLog | undefined;
  try {
    log = await streamMicrophone(t.robot, { utterances: [spoken('hello_world'), spoken('stop_moving')], leadMs: 1000, gapMs: 1000, trailMs: 1500, waitForAnswerMs: ANSWER_WAIT_MS });
    const [hello, stop] = await log.waitForResults(2, ANSWER_WAIT_MS);

    expect(hello.text).toMatch(/hello/i);
    expect(hello).toMatchObject({ intent: { kind: 'chat' }, speak: true, reply: expect.any(String), tts: { kind: 'pcm16' } });
    expect(hello.tts?.durationMs).toBeGreaterThan(200);

    expect(stop.text).toMatch(/stop/i);
    expect(stop).toMatchObject({ intent: { kind: 'command', name: 'stop' }, command: 'stop', speak: false, reply: expect.any(String) });
    expect(stop.tts).toBeUndefined();
    const stopTurn = String(stop.message.payload.task_id);
    const until = Date.now() + ANSWER_WAIT_MS;
    while (!log.chunks.some((c) => c.message.payload.task_id === stopTurn && c.message.payload.final === true) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    const spokenChunks = log.chunks.filter((c) => c.message.payload.task_id === stopTurn);
    expect(spokenChunks.length).toBeGreaterThan(0);
    for (const c of spokenChunks) expect(c.played).toMatchObject({ kind: 'pcm16' });
    const turns = await turnsRecorded(2);
    console.log(JSON.stringify(turns.map((turn) => ({ text: turn.text, intent: turn.intent?.name, reply: turn.reply, outcome: turn.outcome, detail: turn.detail, timings: turn.timings, deliveries: turn.deliveries.map((d) => d.status) }))));
    expect(turns.map((turn) => [turn.outcome, turn.spoke])).toEqual([['answered', true], ['answered', true]]);

    // The audio never entered the session's history: the model steps carried references to it.
    const events = (await t.env.client.workflow.getHandle(sessionOf()).fetchHistory()).events ?? [];
    const asrInputs = activityPayloads(events, 'runAsrModel').inputs as Array<{ envelope: { payload: Record<string, unknown> } }>;
    expect(asrInputs.map((i) => [typeof i.envelope.payload.audio_ref, i.envelope.payload.audio_base64])).toEqual([['string', undefined], ['string', undefined]]);
    const ttsResults = activityPayloads(events, 'runTtsModel').results as Array<{ result: Record<string, unknown> }>;
    expect(ttsResults.map((r) => [typeof r.result.audio_ref, r.result.audio_base64])).toEqual([['string', ''], ['string', '']]);
    const shortestUtteranceBytes = Math.min(spoken('hello_world').pcm.length, spoken('stop_moving').pcm.length);
    expect(largestPayloadBytes(events)).toBeLessThan(shortestUtteranceBytes / 4);
  } finally {
    log?.stopListening();
  }
}, 300_000);

(asr.installed ? test : test.skip)(`silence makes no turn: seconds of it reach no session [${asr.reason}]`, async () => {
  const utterances = await t.counter('voice_utterances_total');
  const chunks = await t.counter('bridge_voice_chunks_total');
  const log = await streamMicrophone(t.robot, { utterances: [], leadMs: 3000, gapMs: 0, trailMs: 0 });
  log.stopListening();
  await waitUntil('the bridge took every frame', async () => (await t.counter('bridge_voice_chunks_total')) - chunks >= log.framesSent, 60_000);
  await t.bridge.voiceSettled();
  expect(log.framesSent).toBe(150);
  expect(await t.counter('voice_utterances_total')).toBe(utterances);
  expect(log.results).toEqual([]);
}, 120_000);
