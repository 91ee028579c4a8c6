import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { temporal } from '@temporalio/proto';
import { createModelRuntime, findRepoRoot, type ModelRuntime } from '../../src/models';
import type { GenerationResult, UnderstandingResult } from '../../src/shared/model-results';
import type { TaskResult } from '../../src/shared/task';
import { EventType, eventsOf, protoMs } from '../harness/history-events';
import { OffloadTestEnv } from '../harness/offload-env';
import { pollUntil } from '../harness/poll-until';
import { testDeadlines, TEST_DEADLINE_MS } from '../harness/test-deadlines';

let env: OffloadTestEnv;
let runtime: ModelRuntime;
/** text.generate prefers gpu > cpu; this file runs a cpu worker only, so skip the wait for a gpu worker. */
const CPU_ONLY = { policy: { route: ['cpu' as const] } };
/**
 * Five heartbeats long, and far shorter than the generation below on any machine: 1200 tokens on one
 * llama.cpp thread take this 2-core machine ~13 s and the fastest CPUs several seconds.
 */
const HEARTBEAT_TIMEOUT_MS = 2000;
const { PendingActivityState } = temporal.api.enums.v1;

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

test(`text.generate: a generation longer than its ${HEARTBEAT_TIMEOUT_MS / 1000} s heartbeat timeout completes on its first attempt, heartbeating all along; the worker serves another task meanwhile`, async () => {
  const { task_id: taskId } = await env.offload.submit(
    { task_type: 'text.generate', payload: { prompt: 'Count from 1 to 1000, separated by commas.', max_tokens: 1200, temperature: 0 } },
    { wait: false, policy: { route: ['cpu'], heartbeatTimeoutMs: HEARTBEAT_TIMEOUT_MS } },
  );
  const handle = env.client.workflow.getHandle(taskId);
  // What the server says about the running attempt (its heartbeats), and a task started while the model generates.
  const running: temporal.api.workflow.v1.IPendingActivityInfo[] = [];
  let meanwhile: Promise<TaskResult> | undefined;
  const ended = await pollUntil(async () => {
    const description = await handle.describe();
    const pending = description.raw.pendingActivities?.[0];
    if (pending?.state === PendingActivityState.PENDING_ACTIVITY_STATE_STARTED) {
      running.push(pending);
      meanwhile ??= env.offload.submit({ task_type: 'text.nlu', payload: { text: 'Please stop moving right now' } });
    }
    return description.status.name !== 'RUNNING';
  }, TEST_DEADLINE_MS, 100);
  expect(ended).toBe(true);
  const result = (await env.offload.result(taskId)) as TaskResult<GenerationResult>;
  expect(result).toMatchObject({ status: 'completed', meta: { attempts: 1 } });

  const events = (await handle.fetchHistory()).events ?? [];
  const scheduled = eventsOf(events, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED);
  const started = eventsOf(events, EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED);
  const completed = eventsOf(events, EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED);
  expect(scheduled.map((e) => protoMs(e.activityTaskScheduledEventAttributes?.heartbeatTimeout))).toEqual([HEARTBEAT_TIMEOUT_MS]);
  expect(started.map((e) => [e.activityTaskStartedEventAttributes?.attempt, e.activityTaskStartedEventAttributes?.lastFailure ?? null])).toEqual([[1, null]]);
  expect(eventsOf(events, EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT)).toEqual([]);
  expect(completed).toHaveLength(1);
  // Server clock: the attempt outlived its heartbeat timeout, and heartbeats kept arriving past it.
  const ranMs = protoMs(completed[0].eventTime) - protoMs(started[0].eventTime);
  const heartbeatsFor = Math.max(...running.map((p) => protoMs(p.lastHeartbeatTime) - protoMs(p.lastStartedTime)));
  console.log(
    `long text.generate: ${result.meta.timings.completion_tokens} tokens; the attempt ran ${Math.round(ranMs)} ms (server clock), ` +
      `heartbeats seen up to ${Math.round(heartbeatsFor)} ms into it, heartbeat timeout ${HEARTBEAT_TIMEOUT_MS} ms`,
  );
  expect(running.map((p) => p.attempt)).toEqual(running.map(() => 1));
  expect(ranMs).toBeGreaterThan(HEARTBEAT_TIMEOUT_MS);
  expect(heartbeatsFor).toBeGreaterThan(HEARTBEAT_TIMEOUT_MS);

  // The heartbeats come from a timer on this process's event loop; a task submitted while the model
  // generated went through the same process, and the server closed it before the generation ended.
  expect(meanwhile).toBeDefined();
  const other = (await meanwhile) as TaskResult;
  expect(other).toMatchObject({ status: 'completed', result: { intent: 'stop' } });
  const otherEvents = (await env.client.workflow.getHandle(other.task_id).fetchHistory()).events ?? [];
  const otherClosed = eventsOf(otherEvents, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED)[0];
  expect(protoMs(otherClosed.eventTime)).toBeLessThan(protoMs(completed[0].eventTime));
}, TEST_DEADLINE_MS + 60_000);

test('text.generate: bad parameters fail as invalid input without running the model', async () => {
  const result = await env.offload.submit({ task_type: 'text.generate', payload: { prompt: 'robot '.repeat(3000), max_tokens: 100 } }, CPU_ONLY);
  expect(result).toMatchObject({ status: 'failed', result: null });
  expect(result.error).toMatch(/does not fit the model's context of 2048 tokens/);
});
