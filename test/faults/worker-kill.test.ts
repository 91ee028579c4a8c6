import { setTimeout as sleep } from 'node:timers/promises';
import type { DeliverySpec } from '../../src/shared/delivery';
import type { TaskResult } from '../../src/shared/task';
import { BridgeTestEnv } from '../harness/bridge-env';
import { robotFrames } from '../harness/robot-simulator';
import { pollUntil } from '../harness/poll-until';
import { InferenceWorkerProcess } from '../harness/worker-process';
import { faultScale } from '../harness/fault-scale';
import { listedRuns, readRunFacts } from '../harness/run-facts';

/**
 * An inference worker in its own process is killed with SIGKILL while detections are queued and
 * running, and a new one is started: every task must complete (not fall back) exactly once, and
 * its result reach the simulated robot exactly once through a real bridge.
 */
const scale = faultScale();
/** The test's own time limit: neither the pickup timeout nor the deadline gives up first, however slow the machine. */
const TEST_TIMEOUT_MS = 600_000;
const DEADLINE_MS = TEST_TIMEOUT_MS;
const PICKUP_TIMEOUT_MS = TEST_TIMEOUT_MS;
/** Model runs finished before the kill. */
const killAfter = Math.ceil(scale.tasksInFlightAtKill / 4);
/** Room for model runs that finish between the last one counted and the kill (the test process is busy). */
const slack = 20;
const total = scale.tasksInFlightAtKill + killAfter + slack;
const RESULT_TOPIC = 'vision.obstacle.enhanced';

let env: BridgeTestEnv;
const workers: InferenceWorkerProcess[] = [];

beforeAll(async () => {
  env = await BridgeTestEnv.start({
    hardware: [],
    env: {
      OFFLOAD_ROUTES: 'vision.detection=cpu',
      OFFLOAD_DEADLINES_MS: `vision.detection=${DEADLINE_MS}`,
      OFFLOAD_PICKUP_TIMEOUT_MS: String(PICKUP_TIMEOUT_MS),
    },
  });
}, 120_000);

afterAll(async () => {
  for (const worker of workers) await worker.kill();
  await env?.close();
});

async function startWorker(): Promise<InferenceWorkerProcess> {
  const worker = await InferenceWorkerProcess.start({
    temporalAddress: process.env.OFFLOAD_TEST_TEMPORAL_ADDRESS as string,
    queuePrefix: env.env.config.queuePrefix,
    modelDir: process.env.OFFLOAD_TEST_MODEL_DIR as string,
    hardware: 'cpu',
    slots: 2,
  });
  workers.push(worker);
  return worker;
}

/** Robot-side answers per task id (the bridge puts the task id in `meta.task_id`). */
function deliveriesPerTask(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const message of env.robot.received.filter((m) => m.topic === RESULT_TOPIC)) {
    const taskId = String((message.payload.meta as Record<string, unknown> | undefined)?.task_id);
    counts.set(taskId, (counts.get(taskId) ?? 0) + 1);
  }
  return counts;
}

test(`SIGKILL of an inference worker with ${scale.tasksInFlightAtKill}+ detections in flight, then a new worker: every task completes and is delivered exactly once`, async () => {
  const images = robotFrames();
  const taskIds = Array.from({ length: total }, (_, i) => `kill-${env.robotId}-${i}`);
  const submitted = Date.now();
  const queue = [...taskIds.entries()];
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const [i, taskId] = next;
        const receivedAt = Date.now();
        // As the bridge starts its runs: on the fast path hosted by the bridge, delivered by a local activity there.
        const delivery: DeliverySpec = { taskQueue: env.env.config.bridge.taskQueue, robotId: env.robotId, receivedAt, deliverBy: receivedAt + DEADLINE_MS, ...(env.env.config.fastPath ? { local: true } : {}) };
        const task = { task_id: taskId, task_type: 'vision.detection', payload: { image_base64: images[i % images.length].toString('base64') }, meta: { robot_id: env.robotId } };
        await env.bridgeOffload.submit(task, { wait: false, delivery });
      }
    }),
  );
  const submitMs = Date.now() - submitted;
  // Only now a worker: every task waits in the queue, so the tasks still in flight at the kill do not
  // depend on how fast the worker is next to the submits.
  const first = await startWorker();

  const delivered = () => [...deliveriesPerTask().keys()].filter((id) => taskIds.includes(id)).length;
  expect(await pollUntil(() => first.completedActivities().length >= killAfter, 300_000)).toBe(true);
  const killedAt = Date.now();
  await first.kill();
  const deliveredAtKill = delivered();

  await sleep(2000);
  const restartedAt = Date.now();
  const second = await startWorker();
  const pollingAt = Date.now();
  const deliveredBeforeRestart = delivered();
  let firstAfterRestartAt: number | undefined;
  const allIn = await pollUntil(() => {
    const count = delivered();
    if (firstAfterRestartAt === undefined && count > deliveredBeforeRestart) firstAfterRestartAt = Date.now();
    return count === total;
  }, 400_000);
  const allInAt = Date.now();
  // A duplicate publish would come right after the first one: give it time to show.
  await sleep(2000);

  const results = new Map<string, TaskResult | string>();
  for (const taskId of taskIds) {
    const handle = env.env.client.workflow.getHandle(taskId);
    const running = (await handle.describe()).status.name === 'RUNNING';
    results.set(taskId, running ? 'still running' : await env.env.offload.result(taskId));
  }
  const facts = await readRunFacts(env.env.client, taskIds);
  const retried = facts.filter((f) => f.modelAttempts.some((a) => a >= 2));
  const inFlightAtKill = facts.filter((f) => f.modelCompletedAt === undefined || f.modelCompletedAt > killedAt).length;
  const invocations = [...first.completedActivities(), ...second.completedActivities()];
  const invocationsPerTask = new Map<string, number>();
  for (const line of invocations) invocationsPerTask.set(String(line.task_id), (invocationsPerTask.get(String(line.task_id)) ?? 0) + 1);
  const ranTwice = [...invocationsPerTask.values()].filter((n) => n > 1).length;
  const deliveries = deliveriesPerTask();
  const runs = await listedRuns(env.env.client, `OffloadRobot = '${env.robotId}'`, taskIds);

  console.log(
    [
      `worker kill (${scale.full ? 'full' : 'reduced'}): ${total} detections submitted in ${submitMs} ms, then a 2-slot cpu worker process started`,
      `killed (SIGKILL) after ${first.completedActivities().length} model runs had finished and ${deliveredAtKill} results were delivered; in flight at the kill (model result not yet recorded): ${inFlightAtKill}`,
      `new worker polling ${pollingAt - killedAt} ms after the kill (its start-up ${pollingAt - restartedAt} ms); first result after that ${firstAfterRestartAt === undefined ? 'never' : `${firstAfterRestartAt - killedAt} ms after the kill`}; all ${allIn ? '' : 'NOT '}delivered ${allInAt - killedAt} ms after the kill`,
      `model invocations (completed runs logged by the workers): ${invocations.length} for ${total} tasks (killed worker ${first.completedActivities().length}, new worker ${second.completedActivities().length}; ${ranTwice} task(s) ran to completion twice)`,
      `activity retries: ${retried.length} task(s) whose model activity was retried (attempts ${JSON.stringify(retried.map((f) => f.modelAttempts))}, after: ${[...new Set(retried.flatMap((f) => f.retryCauses))].join('; ')})`,
    ].join('\n'),
  );

  expect(inFlightAtKill).toBeGreaterThanOrEqual(scale.tasksInFlightAtKill);
  const notCompleted = [...results].filter(([, r]) => typeof r === 'string' || r.status !== 'completed' || r.meta.fallback_required);
  expect(notCompleted.map(([id, r]) => `${id}: ${typeof r === 'string' ? r : `${r.status} ${r.error ?? ''}`}`)).toEqual([]);
  for (const result of results.values()) expect(result).toMatchObject({ meta: { hardware: 'cpu', delivery: { status: 'delivered' } } });
  // One run per task id, completed, as the server's visibility lists them.
  expect(taskIds.filter((id) => runs.get(id)?.join() !== 'COMPLETED').map((id) => `${id}: ${runs.get(id)?.join() ?? 'not listed'}`)).toEqual([]);
  // Exactly one robot-side answer per task, and none for anything else.
  expect(taskIds.filter((id) => deliveries.get(id) !== 1).map((id) => `${id}: ${deliveries.get(id) ?? 0}`)).toEqual([]);
  expect([...deliveries.keys()].filter((id) => !taskIds.includes(id))).toEqual([]);
  // The kill hit running tasks: their model activity was retried on the new worker, once its heartbeat timeout declared the old one gone.
  expect(retried.length).toBeGreaterThanOrEqual(1);
  for (const cause of retried.flatMap((f) => f.retryCauses)) expect(cause).toMatch(/heartbeat timeout/i);
  expect(invocations.length).toBeGreaterThanOrEqual(total);
}, TEST_TIMEOUT_MS);
