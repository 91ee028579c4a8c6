import { TURNS_PER_RUN } from '../../src/workflows/voice-session';
import { BridgeTestEnv } from '../harness/bridge-env';
import { faultScale } from '../harness/fault-scale';
import { modelGate } from '../harness/installed-models';
import { waitUntil } from '../harness/poll-until';
import { spoken, streamMicrophone } from '../harness/robot-voice';
import { closeTestRuntimes } from '../harness/test-runtime';

/**
 * A robot left in `pc` voice mode streams its microphone for minutes (10 with OFFLOAD_FAULTS=full):
 * fifty 20 ms frames a second, speech now and then. Before the voice front door every frame was a
 * workflow (8,347 queued in 10 minutes); now only utterances reach Temporal, and the audio waiting
 * for the VAD stays under its bound.
 */
const scale = faultScale();
const asr = modelGate('voice.asr');
const CYCLE_MS = 7500;
const names = ['hello_world', 'stop_moving', 'what_do_you_see', 'follow_me'];
let t: BridgeTestEnv;

beforeAll(async () => {
  t = await BridgeTestEnv.startVoice('en');
}, 120_000);

afterAll(async () => {
  await t?.close();
  await closeTestRuntimes();
});

(asr.installed ? test : test.skip)(`${scale.voiceStreamMs / 1000} s of microphone stream: one session, a turn per utterance, the VAD backlog bounded [${asr.reason}]`, async () => {
  const count = Math.max(1, Math.floor(scale.voiceStreamMs / CYCLE_MS));
  const utterances = Array.from({ length: count }, (_, i) => spoken(names[i % names.length]));
  const spokenMs = utterances.reduce((ms, u) => ms + u.pcm.length / 32, 0);
  const gapMs = Math.max(3000, Math.round((scale.voiceStreamMs - spokenMs) / count));
  const log = await streamMicrophone(t.robot, { utterances, leadMs: gapMs / 2, gapMs, trailMs: gapMs / 2 });
  log.stopListening();
  await waitUntil('the bridge took every frame', async () => (await t.counter('bridge_voice_chunks_total')) >= log.framesSent, 120_000);
  await t.bridge.voiceSettled();

  const sessions: string[] = [];
  for await (const run of t.env.client.workflow.list({ query: `OffloadRobot = '${t.robotId}'` })) sessions.push(`${run.type}:${run.workflowId}`);
  const handle = t.env.client.workflow.getHandle(sessions[0]?.split(':')[1] ?? 'none');
  const events = (await handle.fetchHistory()).events ?? [];
  const found = await t.counter('voice_utterances_total');
  const peak = await t.counter('voice_vad_backlog_peak_chunks');
  const droppedForBacklog = await t.counter('voice_audio_chunks_dropped_total', { reason: 'backlog' });
  console.log(
    `long stream: ${log.framesSent} frames over ${Math.round(scale.voiceStreamMs / 1000)} s, ${count} utterances spoken, ${found} found; ` +
      `${sessions.length} workflow run(s) for the robot (${[...new Set(sessions)].join(', ')}), ${events.length} history events in its last run; ` +
      `VAD backlog peak ${peak} chunks (bound 250), ${droppedForBacklog} dropped; ${log.results.length} answered by the end of the stream`,
  );
  expect(log.framesSent).toBeGreaterThanOrEqual(scale.voiceStreamMs / 20 - 1);
  expect(found).toBe(count);
  // One session; its run continues as new every TURNS_PER_RUN turns (the runs share the session's id).
  expect([...new Set(sessions)]).toEqual([expect.stringMatching(/^voiceSession:voice-/)]);
  expect(sessions.length).toBeLessThanOrEqual(Math.ceil(count / TURNS_PER_RUN));
  // A turn is a handful of activities (ASR, NLU, reply, TTS, one or two deliveries): tens of events, never one per frame.
  expect(events.length).toBeLessThan(60 * Math.min(count, TURNS_PER_RUN) + 20);
  // The bound holds by construction (older chunks are dropped, and counted); how close the peak comes to it is the machine's speed, reported above.
  expect(peak).toBeLessThanOrEqual(250);
}, scale.voiceStreamMs + 300_000);
