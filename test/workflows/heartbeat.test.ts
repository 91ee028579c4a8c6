import { temporal } from '@temporalio/proto';
import { createModelRuntime, type ModelRuntime } from '../../src/models';
import type { GenerationResult } from '../../src/shared/model-results';
import type { TaskResult } from '../../src/shared/task';
import { EventType, eventsOf, protoMs } from '../harness/history-events';
import { tempDir, removeTempDirs } from '../harness/model-test-env';
import { OffloadTestEnv } from '../harness/offload-env';
import { PacedOpenAiServer } from '../harness/paced-openai-server';
import { pollUntil } from '../harness/poll-until';
import { TEST_DEADLINE_MS } from '../harness/test-deadlines';

/** Five heartbeats long (the activity heartbeats every min(1 s, timeout / 5)). */
const HEARTBEAT_TIMEOUT_MS = 2000;
/** The text model's server streams 30 pieces 200 ms apart: the generation lasts at least 6 s on any machine. */
const PACE = { pieces: 30, intervalMs: 200 };
const { PendingActivityState } = temporal.api.enums.v1;

let env: OffloadTestEnv;
let runtime: ModelRuntime;
let server: PacedOpenAiServer;

beforeAll(async () => {
  server = new PacedOpenAiServer(PACE);
  const baseUrl = await server.start();
  env = await OffloadTestEnv.start({ hardware: [] });
  runtime = await createModelRuntime({
    modelDir: await tempDir('heartbeat-models'),
    hardware: 'cpu',
    executionProvider: 'cpu',
    textGeneration: { provider: 'openai', openai: { baseUrl, model: 'paced' }, cache: { maxEntries: 0 } },
  });
  await env.startInferenceWorker('cpu', { runtime });
}, 180_000);

afterAll(async () => {
  await env?.close();
  await runtime?.close();
  await server?.stop();
  await removeTempDirs();
});

test(`a model activity longer than its ${HEARTBEAT_TIMEOUT_MS / 1000} s heartbeat timeout completes on its first attempt, heartbeating all along`, async () => {
  const { task_id: taskId } = await env.offload.submit(
    { task_type: 'text.generate', payload: { prompt: 'Count from 1 to 30.', max_tokens: 100, temperature: 0 } },
    { wait: false, policy: { route: ['cpu'], heartbeatTimeoutMs: HEARTBEAT_TIMEOUT_MS } },
  );
  const handle = env.client.workflow.getHandle(taskId);
  // What the server says about the running attempt: its attempt number and its last heartbeat.
  const running: temporal.api.workflow.v1.IPendingActivityInfo[] = [];
  const ended = await pollUntil(async () => {
    const description = await handle.describe();
    const pending = description.raw.pendingActivities?.[0];
    if (pending?.state === PendingActivityState.PENDING_ACTIVITY_STATE_STARTED) running.push(pending);
    return description.status.name !== 'RUNNING';
  }, TEST_DEADLINE_MS, 100);
  expect(ended).toBe(true);
  const result = (await env.offload.result(taskId)) as TaskResult<GenerationResult>;
  expect(result).toMatchObject({ status: 'completed', meta: { attempts: 1, hardware: 'cpu' } });
  expect(result.result?.text).toMatch(/^1, 2, 3, .*30, $/);

  const events = (await handle.fetchHistory()).events ?? [];
  const scheduled = eventsOf(events, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED);
  const started = eventsOf(events, EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED);
  const completed = eventsOf(events, EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED);
  expect(scheduled.map((e) => protoMs(e.activityTaskScheduledEventAttributes?.heartbeatTimeout))).toEqual([HEARTBEAT_TIMEOUT_MS]);
  expect(started.map((e) => [e.activityTaskStartedEventAttributes?.attempt, e.activityTaskStartedEventAttributes?.lastFailure ?? null])).toEqual([[1, null]]);
  expect(eventsOf(events, EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT)).toEqual([]);
  expect(completed).toHaveLength(1);
  // Server clock: the attempt outlived its heartbeat timeout (the paced server makes it last), and
  // heartbeats from the worker's event loop kept arriving past it.
  const ranMs = protoMs(completed[0].eventTime) - protoMs(started[0].eventTime);
  // (No heartbeat at the very start: the heartbeat timeout counts from it anyway.)
  const heartbeatsFor = Math.max(...running.filter((p) => p.lastHeartbeatTime).map((p) => protoMs(p.lastHeartbeatTime) - protoMs(p.lastStartedTime)));
  console.log(`paced text.generate: the attempt ran ${Math.round(ranMs)} ms (server clock), heartbeats seen up to ${Math.round(heartbeatsFor)} ms into it, heartbeat timeout ${HEARTBEAT_TIMEOUT_MS} ms`);
  expect(running.map((p) => p.attempt)).toEqual(running.map(() => 1));
  expect(ranMs).toBeGreaterThan(HEARTBEAT_TIMEOUT_MS);
  expect(heartbeatsFor).toBeGreaterThan(HEARTBEAT_TIMEOUT_MS);
}, TEST_DEADLINE_MS + 60_000);
