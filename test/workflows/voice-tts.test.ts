import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decodeWav } from '../../src/models/audio';
import { findRepoRoot } from '../../src/models';
import type { SpeechResult } from '../../src/shared/model-results';
import { OffloadTestEnv } from '../harness/offload-env';
import { testDeadlines } from '../harness/test-deadlines';
import { closeTestRuntimes } from '../harness/test-runtime';

let env: OffloadTestEnv;
let outDir: string;

beforeAll(async () => {
  env = await OffloadTestEnv.start({ hardware: ['cpu'] });
  outDir = mkdtempSync(join(tmpdir(), 'offload-tts-'));
});

afterAll(async () => {
  await env?.close();
  await closeTestRuntimes();
  rmSync(outDir, { recursive: true, force: true });
});

test('voice.tts answers from the real Piper voice with a WAV of the spoken sentence', async () => {
  const result = await env.offload.submit({ task_type: 'voice.tts', payload: { text: 'Hello world, I am the robot.' } });
  expect(result.status).toBe('completed');
  expect(result.meta).toMatchObject({ model: 'piper-en_US-joe-medium', model_kind: 'real', hardware: 'cpu', attempts: 1, fallback_required: false });
  const speech = result.result as SpeechResult;
  expect(speech).toMatchObject({ format: 'wav', sample_rate: 22_050 });
  expect(speech.duration_ms).toBeGreaterThan(800);
  expect(speech.duration_ms).toBeLessThan(6000);
  const wav = decodeWav(Buffer.from(speech.audio_base64, 'base64'));
  expect(wav.sampleRate).toBe(22_050);
  expect((wav.samples.length / 22_050) * 1000).toBeCloseTo(speech.duration_ms, 3);
  expect(speech.chunks).toEqual([expect.objectContaining({ seq: 0, text: 'Hello world, I am the robot.', start_sample: 0, samples: wav.samples.length })]);
  expect(result.meta.timings).toEqual(expect.objectContaining({ inference_ms: expect.any(Number), real_time_factor: expect.any(Number) }));
  console.log(`voice.tts via Temporal: ${speech.duration_ms.toFixed(0)} ms of audio, ${result.processing_time_ms} ms processing, timings ${JSON.stringify(result.meta.timings)}`);
});

test("the robot's Polish voice pl_PL-gosia-medium is spoken by espeak-ng at 16 kHz", async () => {
  const result = await env.offload.submit({ task_type: 'voice.tts', payload: { text: 'Zatrzymuję się.', voice: 'pl_PL-gosia-medium' } });
  expect(result).toMatchObject({ status: 'completed', meta: { model: 'espeak-ng-pl', model_kind: 'real', attempts: 1 } });
  const speech = result.result as SpeechResult;
  expect(speech).toMatchObject({ format: 'wav', sample_rate: 16_000 });
  expect(speech.duration_ms).toBeGreaterThan(500);
  expect(speech.duration_ms).toBeLessThan(3000);
});

test('a voice no installed model speaks is not installed: one attempt, then the robot speaks for itself', async () => {
  const result = await env.offload.submit({ task_type: 'voice.tts', payload: { text: 'Hello.', voice: 'de_DE-thorsten-high' } });
  expect(result).toMatchObject({ status: 'failed', result: null, meta: { fallback_required: true } });
  expect(result.error).toMatch(/unknown voice "de_DE-thorsten-high"/);
  const history = await env.client.workflow.getHandle(result.task_id).fetchHistory();
  const activityStarts = history.events?.filter((e) => e.activityTaskStartedEventAttributes) ?? [];
  expect(activityStarts.map((e) => e.activityTaskStartedEventAttributes?.attempt)).toEqual([1]);
});

test('`offload submit voice.tts --text ... --out x.wav` writes a playable WAV', async () => {
  const out = join(outDir, 'robot.wav');
  // Asynchronous: this process hosts the workers that must answer the CLI meanwhile.
  const { stdout, stderr } = await promisify(execFile)(
    process.execPath,
    [join(findRepoRoot(), 'bin/offload.js'), 'submit', 'voice.tts', '--text', 'Turn left at the kitchen.', '--out', out, '--json'],
    {
      env: { ...process.env, TEMPORAL_ADDRESS: process.env.OFFLOAD_TEST_TEMPORAL_ADDRESS, OFFLOAD_TASK_QUEUE_PREFIX: env.config.queuePrefix, OFFLOAD_DEADLINES_MS: testDeadlines() },
      timeout: 120_000,
    },
  );
  expect(stderr).toBe('');
  const printed = JSON.parse(stdout) as { status: string; result: SpeechResult; meta: { model: string } };
  expect(printed).toMatchObject({ status: 'completed', meta: { model: 'piper-en_US-joe-medium' } });
  const bytes = readFileSync(out);
  expect(bytes.subarray(0, 4).toString('ascii')).toBe('RIFF');
  expect(bytes.subarray(8, 12).toString('ascii')).toBe('WAVE');
  const wav = decodeWav(bytes);
  expect(wav.sampleRate).toBe(22_050);
  expect((wav.samples.length / 22_050) * 1000).toBeCloseTo(printed.result.duration_ms, 3);
  expect(printed.result.duration_ms).toBeGreaterThan(800);
});
