import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { findRepoRoot } from '../../src/models';
import type { GenerationResult, UnderstandingResult } from '../../src/shared/model-results';
import type { TaskResult } from '../../src/shared/task';
import { OffloadTestEnv } from '../harness/offload-env';
import { closeTestRuntimes } from '../harness/test-runtime';

let env: OffloadTestEnv;
/** text.generate prefers gpu > cpu; this file runs a cpu worker only, so skip the wait for a gpu worker. */
const CPU_ONLY = { policy: { route: ['cpu' as const] } };

beforeAll(async () => {
  // A long generation below must fit its deadline on a busy 2-core machine.
  env = await OffloadTestEnv.start({ hardware: ['cpu'], env: { OFFLOAD_DEADLINES_MS: 'text.generate=120000' } });
}, 180_000);

afterAll(async () => {
  await env?.close();
  await closeTestRuntimes();
});

test('text.nlu: "Please stop moving right now" is the intent stop, from the real MiniLM model', async () => {
  const result = (await env.offload.submit({ task_type: 'text.nlu', payload: { text: 'Please stop moving right now' } })) as TaskResult<UnderstandingResult>;
  expect(result.status).toBe('completed');
  expect(result.result).toMatchObject({ intent: 'stop', entities: {} });
  expect(result.result?.confidence).toBeGreaterThan(0.4);
  expect(result.meta).toMatchObject({ model: 'all-minilm-l6-v2-q', model_kind: 'real', hardware: 'cpu', attempts: 1, fallback_required: false });
});

test('text.nlu: a place entity comes with go_to', async () => {
  const result = (await env.offload.submit({ task_type: 'text.nlu', payload: { text: 'Please drive to the living room' } })) as TaskResult<UnderstandingResult>;
  expect(result.result).toMatchObject({ intent: 'go_to', entities: { place: 'living room' } });
});

test('`offload submit text.nlu --text ...` prints the intent', async () => {
  // Asynchronous: this process hosts the workers that must answer the CLI meanwhile.
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [join(findRepoRoot(), 'bin/offload.js'), 'submit', 'text.nlu', '--text', 'Please stop moving right now', '--json'],
    { env: { ...process.env, TEMPORAL_ADDRESS: process.env.OFFLOAD_TEST_TEMPORAL_ADDRESS, OFFLOAD_TASK_QUEUE_PREFIX: env.config.queuePrefix }, timeout: 120_000 },
  );
  const printed = JSON.parse(stdout) as TaskResult<UnderstandingResult>;
  expect(printed).toMatchObject({ status: 'completed', result: { intent: 'stop' }, meta: { model: 'all-minilm-l6-v2-q', model_kind: 'real' } });
});

test('text.generate: non-empty text from the real SmolLM2 model; the worker event loop stays free meanwhile', async () => {
  const monitor = monitorEventLoopDelay({ resolution: 1 });
  monitor.enable();
  const result = (await env.offload.submit(
    { task_type: 'text.generate', payload: { prompt: 'What is the capital of France?', max_tokens: 16, temperature: 0 } },
    CPU_ONLY,
  )) as TaskResult<GenerationResult>;
  monitor.disable();
  expect(result.status).toBe('completed');
  expect(result.result?.text.trim().length).toBeGreaterThan(0);
  expect(result.result?.from_cache).toBe(false);
  expect(result.result?.tokens_used).toBeGreaterThan(0);
  expect(result.meta).toMatchObject({ model: 'smollm2-135m-instruct', model_kind: 'real', hardware: 'cpu', attempts: 1, fallback_required: false });
  const p99 = monitor.percentile(99) / 1e6;
  console.log(
    `text.generate via Temporal: "${result.result?.text}" in ${result.processing_time_ms} ms, timings ${JSON.stringify(result.meta.timings)}; ` +
      `event-loop delay of the process hosting the workers: p99 ${p99.toFixed(1)} ms, max ${(monitor.max / 1e6).toFixed(1)} ms`,
  );
  expect(p99).toBeLessThanOrEqual(20);
});

test('text.generate: a generation longer than the 5 s heartbeat timeout completes on its first attempt (the activity heartbeats)', async () => {
  const result = (await env.offload.submit(
    { task_type: 'text.generate', payload: { prompt: 'Count from 1 to 1000, separated by commas.', max_tokens: 400, temperature: 0 } },
    CPU_ONLY,
  )) as TaskResult<GenerationResult>;
  expect(result.status).toBe('completed');
  console.log(`long text.generate: ${result.meta.timings.completion_tokens} tokens in ${result.meta.timings.inference_ms?.toFixed(0)} ms`);
  expect(result.meta.timings.inference_ms).toBeGreaterThan(5000);
  expect(result.meta.attempts).toBe(1);
}, 180_000);

test('text.generate: bad parameters fail as invalid input without running the model', async () => {
  const result = await env.offload.submit({ task_type: 'text.generate', payload: { prompt: 'robot '.repeat(3000), max_tokens: 100 } }, CPU_ONLY);
  expect(result).toMatchObject({ status: 'failed', result: null });
  expect(result.error).toMatch(/does not fit the model's context of 2048 tokens/);
});
