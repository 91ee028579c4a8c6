import { modelGate } from '../../harness/installed-models';
import { closeTestRuntimes } from '../../harness/test-runtime';
import { BridgeTestEnv } from '../../harness/bridge-env';

let t: BridgeTestEnv;

beforeAll(async () => {
  t = await BridgeTestEnv.start({ hardware: ['cpu'], env: { OFFLOAD_ROUTES: 'voice.tts=cpu' } });
}, 120_000);

afterAll(async () => {
  await t?.close();
  await closeTestRuntimes();
});

const tts = modelGate('voice.tts');


// The robot's microphone stream (voice.asr.request) is the voice front door's: test/e2e/voice.
(tts.installed ? test : test.skip)(`TTS: voice.tts.request -> voice.tts.chunk in seq order, the last final [${tts.reason}]`, async () => {
  const ts = Date.now() / 1000;
  await t.robot.publish('voice.tts.request', { text: 'Hello. I am the robot. Where shall we go?', voice: 'default', ts });
  const last = await t.robot.waitFor('voice.tts.chunk', (p) => p.task_id === `tts-${t.robotId}-${ts}` && p.final === true, 60_000);
  const chunks = t.robot.received.filter((m) => m.topic === 'voice.tts.chunk' && m.payload.task_id === `tts-${t.robotId}-${ts}`).map((m) => m.payload);
  expect(chunks.map((c) => c.seq)).toEqual(chunks.map((_, i) => i));
  expect(chunks.filter((c) => c.final)).toEqual([last.payload]);
  for (const c of chunks) expect(c).toMatchObject({ format: 'pcm_s16le', sample_rate: 16000, duration_ms: expect.any(Number) });
  const played = t.robot.playedSpeech(`tts-${t.robotId}-${ts}`);
  expect(played.map((p) => p?.kind)).toEqual(chunks.map(() => 'pcm16'));
  for (const p of played) expect(p?.bytes.length).toBeGreaterThan(0);
  console.log(`TTS: ${chunks.length} chunks, ${chunks.reduce((s, c) => s + (c.duration_ms as number), 0)} ms of audio`);
}, 90_000);

(tts.installed ? test.skip : test)(`TTS without a model: one final voice.tts.chunk with fallback_required [runs only without a TTS model: ${tts.reason}]`, async () => {
  const ts = Date.now() / 1000;
  await t.robot.publish('voice.tts.request', { text: 'Hello, I am the robot.', voice: 'default', ts });
  const answer = await t.robot.waitFor('voice.tts.chunk', (p) => p.task_id === `tts-${t.robotId}-${ts}`, 60_000);
  expect(answer.payload).toMatchObject({ seq: 0, final: true, audio: '', meta: { fallback_required: true } });
});

test('a TTS request keeps the robot\'s own task_id', async () => {
  await t.robot.publish('voice.tts.request', { text: 'Turning left.', task_id: `robot-tts-${t.robotId}-1` });
  const answer = await t.robot.waitFor('voice.tts.chunk', (p) => p.task_id === `robot-tts-${t.robotId}-1` && p.final === true, 60_000);
  expect(answer.payload.meta).toMatchObject({ task_id: `robot-tts-${t.robotId}-1` });
}, 90_000);
