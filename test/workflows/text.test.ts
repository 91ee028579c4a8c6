import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createModelRuntime, findRepoRoot, type ModelRuntime } from '../../src/models';
import type { GenerationResult, UnderstandingResult } from '../../src/shared/model-results';
import type { TaskResult } from '../../src/shared/task';
import { OffloadTestEnv } from '../harness/offload-env';
import { testDeadlines } from '../harness/test-deadlines';

let env: OffloadTestEnv;
let runtime: ModelRuntime;
/** text.generate prefers gpu > cpu; this file runs a cpu worker only, so skip the wait for a gpu worker. */
const CPU_ONLY = { policy: { route: ['cpu' as const] } };

beforeAll(async () => {
  env = await OffloadTestEnv.start({ hardware: [] });
  runtime = await createModelRuntime({
    modelDir: process.env.OFFLOAD_TEST_MODEL_DIR as string,
    hardware: 'cpu',
    executionProvider: 'cpu',
    textGeneration: { llamaThreads: 1 },
  });
  await env.startInferenceWorker('cpu', { runtime });
}, 180_000);

afterAll(async () => {
  await env?.close();
  await runtime?.close();
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
    {
      env: { ...process.env, TEMPORAL_ADDRESS: process.env.OFFLOAD_TEST_TEMPORAL_ADDRESS, OFFLOAD_TASK_QUEUE_PREFIX: env.config.queuePrefix, OFFLOAD_DEADLINES_MS: testDeadlines() },
      timeout: 120_000,
    },
  );
  const printed = JSON.parse(stdout) as TaskResult<UnderstandingResult>;
  expect(printed).toMatchObject({ status: 'completed', result: { intent: 'stop' }, meta: { model: 'all-minilm-l6-v2-q', model_kind: 'real' } });
});

test('text.generate: non-empty text from the real SmolLM2 model', async () => {
  const result = (await env.offload.submit(
    { task_type: 'text.generate', payload: { prompt: 'What is the capital of France?', max_tokens: 16, temperature: 0 } },
    CPU_ONLY,
  )) as TaskResult<GenerationResult>;
  expect(result.status).toBe('completed');
  expect(result.result?.text.trim().length).toBeGreaterThan(0);
  expect(result.result?.from_cache).toBe(false);
  expect(result.result?.tokens_used).toBeGreaterThan(0);
  expect(result.meta).toMatchObject({ model: 'smollm2-135m-instruct', model_kind: 'real', hardware: 'cpu', attempts: 1, fallback_required: false });
  console.log(`text.generate via Temporal: "${result.result?.text}" in ${result.processing_time_ms} ms, timings ${JSON.stringify(result.meta.timings)}`);
});

test('text.generate: bad parameters fail as invalid input without running the model', async () => {
  const result = await env.offload.submit({ task_type: 'text.generate', payload: { prompt: 'robot '.repeat(3000), max_tokens: 100 } }, CPU_ONLY);
  expect(result).toMatchObject({ status: 'failed', result: null });
  expect(result.error).toMatch(/does not fit the model's context of 2048 tokens/);
});

test('text.nlu with language pl: "Zatrzymaj się." is stop, from the Polish intents file', async () => {
  const result = (await env.offload.submit({ task_type: 'text.nlu', payload: { text: 'Zatrzymaj się.', language: 'pl' } })) as TaskResult<UnderstandingResult>;
  expect(result.status).toBe('completed');
  expect(result.result).toEqual({ intent: 'stop', confidence: 1, entities: {}, language: 'pl', matched_by: 'keyword' });
});

test('text.generate in Polish on English-only SmolLM2 fails at once as LanguageNotSupported, the type in meta.error_type, no other hardware tried', async () => {
  const result = await env.offload.submit({ task_type: 'text.generate', payload: { prompt: 'Jak się masz?', language: 'pl', max_tokens: 16 } }, CPU_ONLY);
  expect(result).toMatchObject({ status: 'failed', result: null, meta: { error_type: 'LanguageNotSupported', fallback_required: false } });
  expect(result.error).toMatch(/smollm2-135m-instruct works in en, not "pl"/);
  const events = (await env.client.workflow.getHandle(result.task_id).fetchHistory()).events ?? [];
  const failure = events.at(-1)?.workflowExecutionFailedEventAttributes?.failure;
  expect(failure?.applicationFailureInfo).toMatchObject({ type: 'LanguageNotSupported', nonRetryable: true });
});
