import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { encodeWav } from '../../src/models/audio';
import { findRepoRoot } from '../../src/models';
import type { TranscriptionResult } from '../../src/shared/model-results';
import { fixtureBase64, fixturePath } from '../harness/fixtures';
import { OffloadTestEnv } from '../harness/offload-env';
import { testDeadlines } from '../harness/test-deadlines';
import { closeTestRuntimes } from '../harness/test-runtime';

/** The CLI below starts its run with these too: this test checks answers, not speed. */
const ENV = { OFFLOAD_ROUTES: 'voice.asr=cpu', OFFLOAD_DEADLINES_MS: testDeadlines() };
const normalise = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();

let env: OffloadTestEnv;

beforeAll(async () => {
  env = await OffloadTestEnv.start({ hardware: ['cpu'], env: ENV });
});

afterAll(async () => {
  await env?.close();
  await closeTestRuntimes();
});

test('voice.asr of hello_world.wav answers "hello world" from the real Whisper model', async () => {
  const result = await env.offload.submit({ task_type: 'voice.asr', payload: { audio_base64: fixtureBase64('audio/hello_world.wav'), format: 'wav' } });
  expect(result.status).toBe('completed');
  const transcript = result.result as TranscriptionResult;
  expect(normalise(transcript.text)).toBe('hello world');
  expect(transcript.language).toBe('en');
  expect(result.meta).toMatchObject({ model: 'whisper-tiny.en', model_kind: 'real', hardware: 'cpu', attempts: 1, fallback_required: false });
  expect(result.meta.timings).toEqual(expect.objectContaining({ real_time_factor: expect.any(Number), vad_ms: expect.any(Number), audio_ms: expect.any(Number) }));
  console.log(`voice.asr via Temporal: ${JSON.stringify(transcript)}, ${result.processing_time_ms} ms, timings ${JSON.stringify(result.meta.timings)}`);
});

test("the robot's raw PCM s16le with its rate gives the same transcript", async () => {
  const result = await env.offload.submit({
    task_type: 'voice.asr',
    payload: { audio_base64: fixtureBase64('audio/hello_world.s16le.pcm'), format: 'pcm_s16le', sample_rate: 16_000 },
  });
  expect(result.status).toBe('completed');
  expect(normalise((result.result as TranscriptionResult).text)).toBe('hello world');
});

test('silence completes with an empty transcript flagged no_speech', async () => {
  const silence = Buffer.from(encodeWav(new Int16Array(32_000), 16_000)).toString('base64');
  const result = await env.offload.submit({ task_type: 'voice.asr', payload: { audio_base64: silence, format: 'wav' } });
  expect(result.status).toBe('completed');
  expect(result.result).toMatchObject({ text: '', no_speech: true });
});

test('`offload submit voice.asr --file hello_world.s16le.pcm --rate 16000` prints the transcript', async () => {
  // Asynchronous: this process hosts the workers that must answer the CLI meanwhile.
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [join(findRepoRoot(), 'bin/offload.js'), 'submit', 'voice.asr', '--file', fixturePath('audio/hello_world.s16le.pcm'), '--rate', '16000', '--json'],
    {
      env: { ...process.env, ...ENV, TEMPORAL_ADDRESS: process.env.OFFLOAD_TEST_TEMPORAL_ADDRESS, OFFLOAD_TASK_QUEUE_PREFIX: env.config.queuePrefix },
      timeout: 120_000,
    },
  );
  const printed = JSON.parse(stdout) as { status: string; result: TranscriptionResult; meta: { model: string; model_kind: string } };
  expect(printed).toMatchObject({ status: 'completed', meta: { model: 'whisper-tiny.en', model_kind: 'real' } });
  expect(normalise(printed.result.text)).toBe('hello world');
});
