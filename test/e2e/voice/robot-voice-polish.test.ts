import { BridgeTestEnv } from '../../harness/bridge-env';
import { modelGate } from '../../harness/installed-models';
import { POLISH_UTTERANCES } from '../../harness/polish-utterances';
import { spoken, streamMicrophone, type HeardResult, type MicrophoneLog } from '../../harness/robot-voice';
import { closeTestRuntimes } from '../../harness/test-runtime';
import { wordErrorRate } from '../../../src/models/speech-recognition/word-error-rate';
import { replyFor } from '../../../src/shared/voice-replies';

/**
 * The robot as it is: Polish (OFFLOAD_ROBOT_LANGUAGE's default), its microphone streamed as 20 ms
 * frames in real time, each Polish fixture said inside seconds of silence, waiting for each answer as
 * a person would. How soon the answers come is the bench's business (npm run bench -- robot-voice).
 */
let t: BridgeTestEnv;
const asr = modelGate('voice.asr');
const ANSWER_WAIT_MS = 180_000;

beforeAll(async () => {
  t = await BridgeTestEnv.startVoice('pl');
}, 180_000);

afterAll(async () => {
  await t?.close();
  await closeTestRuntimes();
});

function audioOf(log: MicrophoneLog, heard: HeardResult): { durationMs: number; claimedMs: number } | undefined {
  if (heard.tts) return { durationMs: heard.tts.durationMs ?? NaN, claimedMs: Number((heard.message.payload.tts as Record<string, unknown>).duration_ms) };
  const chunks = log.chunks.filter((c) => c.message.payload.task_id === heard.message.payload.task_id && c.played);
  if (chunks.length === 0) return undefined;
  return { durationMs: chunks.reduce((ms, c) => ms + (c.played?.durationMs ?? 0), 0), claimedMs: chunks.reduce((ms, c) => ms + Number(c.message.payload.duration_ms), 0) };
}

(asr.installed ? test : test.skip)(`a Polish robot: each fixture said into its microphone gets a Polish transcript, an intent where one applies, a Polish reply and its audio [${asr.reason}]`, async () => {
  const log = await streamMicrophone(t.robot, { utterances: POLISH_UTTERANCES.map((u) => spoken(u.name)), leadMs: 1500, gapMs: 1500, trailMs: 2000, waitForAnswerMs: ANSWER_WAIT_MS });
  try {
    const results = await log.waitForResults(POLISH_UTTERANCES.length, ANSWER_WAIT_MS);
    const spokenTurn = (heard: HeardResult) => !heard.tts && log.chunks.some((c) => c.message.payload.task_id === heard.message.payload.task_id && c.message.payload.final === true);
    const until = Date.now() + ANSWER_WAIT_MS;
    while (results.some((r) => !r.tts && !spokenTurn(r)) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 100));
    const rows = results.map((heard, i) => ({ said: POLISH_UTTERANCES[i].text, heard: heard.text, intent: heard.intent, reply: heard.reply, audio: audioOf(log, heard) }));
    console.log(JSON.stringify(rows, null, 1));
    console.log(`Polish robot: corpus WER ${wordErrorRate(rows.map((r) => ({ reference: r.said, hypothesis: r.heard }))).toFixed(3)}`);

    for (const heard of results) {
      expect(heard.message.payload.language).toBe('pl');
      expect(heard.text).not.toBe('');
      expect(heard.reply).toEqual(expect.any(String));
      const audio = audioOf(log, heard);
      // played as the robot plays raw pcm16 (16 kHz), the audio lasts what the PC says it lasts: the right speed
      expect(audio).toBeDefined();
      expect(audio?.durationMs).toBeGreaterThan(300);
      expect(Math.abs((audio?.durationMs ?? 0) - (audio?.claimedMs ?? 0))).toBeLessThan(2);
    }
    const [stop, forward, , hello] = results;
    expect(stop.text).toMatch(/zatrzymaj/i);
    expect(stop).toMatchObject({ intent: { kind: 'command', name: 'stop' }, command: 'stop', speak: false, reply: replyFor('stop', 'pl') });
    // Polish intents (keyword rules) and replies: "Jedź prosto do przodu." is the robot's forward (heard
    // "i jest prosto do przodu." it still is: "prosto", "do przodu"); the greeting is a chat turn that
    // SmolLM2 cannot answer in Polish (LanguageNotSupported), so its own Polish reply is spoken.
    expect(forward).toMatchObject({ intent: { kind: 'command', name: 'forward' }, command: 'forward', speak: false, reply: 'Jadę prosto.' });
    const helloIntent = String(hello.intent?.name);
    expect(['greeting', 'how_are_you']).toContain(helloIntent);
    expect(hello).toMatchObject({ intent: { kind: 'chat' }, speak: true, reply: replyFor(helloIntent, 'pl'), tts: { kind: 'pcm16' } });
    // No turn moves the robot unless it was asked to.
    expect(results.map((r) => r.command)).toEqual(['stop', 'forward', undefined, undefined]);
    expect(log.results).toHaveLength(POLISH_UTTERANCES.length);
  } finally {
    log.stopListening();
  }
}, 900_000);
