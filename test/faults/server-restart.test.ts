import { mkdtempSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ModelRuntime } from '../../src/models';
import { InvalidTaskError } from '../../src/shared/errors';
import type { TaskResult } from '../../src/shared/task';
import { loadConfig } from '../../src/config/load-config';
import { startDevServer, type DevServer, type DevServerOptions } from '../../temporal/dev-server';
import { findFreePort } from '../../temporal/free-port';
import { resolveTemporalCli } from '../../temporal/install-cli';
import { robotFrames } from '../harness/robot-simulator';
import { OffloadTestEnv } from '../harness/offload-env';
import { closeTestRuntimes, testRuntime } from '../harness/test-runtime';
import { faultScale } from '../harness/fault-scale';
import { listedRuns, readRunFacts } from '../harness/run-facts';

/**
 * The test's own dev server (persisted SQLite, fixed ports) is killed with SIGKILL while tasks are
 * queued and running, and started again on the same file and ports. Workers and clients are not
 * restarted: they must reconnect by themselves, and every task whose start was acknowledged must
 * complete exactly once.
 */
const scale = faultScale();
/** The test's own time limit: neither the pickup timeout nor the deadline gives up first, however slow the machine. */
const TEST_TIMEOUT_MS = 600_000;
const DEADLINE_MS = TEST_TIMEOUT_MS;
const PICKUP_TIMEOUT_MS = TEST_TIMEOUT_MS;
/** Cheap text.nlu tasks mixed in with the detections. */
const nluTasks = Math.max(3, Math.round(scale.tasksInFlightAtServerRestart / 10));
/** Model runs finished before the stop. */
const stopAfter = Math.ceil(scale.tasksInFlightAtServerRestart / 4);
/** Room for runs that finish between the last one counted and the stop. */
const slack = 20;
const burst = scale.tasksInFlightAtServerRestart + stopAfter + slack;
/** A robot keeps asking while the server is down: one detection this often, until shortly after the restart. */
const TRICKLE_EVERY_MS = 250;

let serverOptions: DevServerOptions;
let server: DevServer | undefined;
let env: OffloadTestEnv | undefined;
const robotId = `restart-${Math.random().toString(36).slice(2, 8)}`;
let modelRuns = 0;

beforeAll(async () => {
  const port = await findFreePort();
  let httpPort = await findFreePort();
  while (httpPort === port) httpPort = await findFreePort();
  serverOptions = { cliPath: await resolveTemporalCli(loadConfig(process.env)), dbFile: join(mkdtempSync(join(tmpdir(), 'offload-restart-')), 'temporal.db'), port, httpPort, uiPort: false, logLevel: 'error' };
  server = await startDevServer(serverOptions);
  env = await OffloadTestEnv.start({
    address: server.address,
    hardware: [],
    env: {
      OFFLOAD_ROUTES: 'vision.detection=cpu,text.nlu=cpu',
      OFFLOAD_DEADLINES_MS: `vision.detection=${DEADLINE_MS},text.nlu=${DEADLINE_MS}`,
      OFFLOAD_PICKUP_TIMEOUT_MS: String(PICKUP_TIMEOUT_MS),
    },
  });
  await testRuntime('cpu');
}, 120_000);

afterAll(async () => {
  try {
    if (env) await closeWithin(env, 30_000);
  } finally {
    await server?.stop();
    await closeTestRuntimes();
    if (serverOptions?.dbFile) rmSync(dirname(serverOptions.dbFile), { recursive: true, force: true });
  }
});

/** Stops the workers and connections, giving up (with a line) rather than hanging the run when the server is gone. */
async function closeWithin(offloadEnv: OffloadTestEnv, ms: number): Promise<void> {
  const timer = new AbortController();
  const closing = offloadEnv.close().finally(() => timer.abort());
  const late = sleep(ms, undefined, { signal: timer.signal }).then(() => console.error(`workers did not stop within ${ms} ms`), () => undefined);
  await Promise.race([closing, late]);
}

/** The worker's runtime, counting model runs that returned (at-least-once execution shows as more runs than tasks). */
function countingRuns(runtime: ModelRuntime): ModelRuntime {
  const counted = <A extends unknown[], R>(run: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
    const result = await run(...args);
    modelRuns += 1;
    return result;
  };
  return { ...runtime, detect: counted(runtime.detect), understand: counted(runtime.understand) };
}

/** Submits like a real client: a failed start is tried again (same task id, so never twice) until acknowledged. */
class LoadGenerator {
  readonly acknowledged = new Set<string>();
  /** When each submit was first tried and when it was acknowledged (epoch ms). */
  readonly timings = new Map<string, { firstTry: number; acknowledged?: number }>();
  failedAttempts = 0;
  private stopped = false;

  constructor(private readonly offload: OffloadTestEnv['offload']) {}

  async submit(task: { task_id: string; task_type: string; payload: Record<string, unknown> }): Promise<void> {
    const timing: { firstTry: number; acknowledged?: number } = { firstTry: Date.now() };
    this.timings.set(task.task_id, timing);
    for (;;) {
      try {
        await this.offload.submit({ ...task, meta: { robot_id: robotId } }, { wait: false });
        timing.acknowledged = Date.now();
        this.acknowledged.add(task.task_id);
        return;
      } catch (err) {
        if (err instanceof InvalidTaskError || this.stopped) throw err;
        this.failedAttempts += 1;
        await sleep(200);
      }
    }
  }

  /** Submits still being retried give up. */
  stop(): void {
    this.stopped = true;
  }
}

/** The task's result once it has one, asking again while the connection is broken. */
async function settledResult(taskId: string, deadline: number): Promise<TaskResult | string> {
  for (;;) {
    try {
      return await (env as OffloadTestEnv).offload.result(taskId);
    } catch (err) {
      if (Date.now() > deadline) return `no result: ${err instanceof Error ? err.message : String(err)}`;
      await sleep(500);
    }
  }
}

test(`SIGKILL of the Temporal dev server with ${scale.tasksInFlightAtServerRestart}+ tasks in flight, restart on the same SQLite file and ports: every acknowledged task completes exactly once`, async () => {
  const offload = (env as OffloadTestEnv).offload;
  const images = robotFrames();
  const load = new LoadGenerator(offload);
  const detection = (id: string, i: number) => ({ task_id: id, task_type: 'vision.detection', payload: { image_base64: images[i % images.length].toString('base64') } });
  const phrases = ['turn left', 'stop right there', 'what time is it', 'go to the kitchen', 'how are you'];
  const burstTasks = [
    ...Array.from({ length: burst }, (_, i) => detection(`${robotId}-det-${i}`, i)),
    ...Array.from({ length: nluTasks }, (_, i) => ({ task_id: `${robotId}-nlu-${i}`, task_type: 'text.nlu', payload: { text: phrases[i % phrases.length] } })),
  ];
  const queue = [...burstTasks];
  await Promise.all(Array.from({ length: 16 }, async () => {
    for (let task = queue.shift(); task; task = queue.shift()) await load.submit(task);
  }));
  // Only now a worker: the burst waits in the queue, so the tasks still in flight at the stop do not
  // depend on how fast the worker is next to the submits.
  await (env as OffloadTestEnv).startInferenceWorker('cpu', { runtime: countingRuns(await testRuntime('cpu')), slots: 2 });

  let trickling = true;
  let trickled = 0;
  const trickle = (async () => {
    for (let i = 0; trickling; i++, trickled++) {
      void load.submit(detection(`${robotId}-trickle-${i}`, i)).catch(() => undefined);
      await sleep(TRICKLE_EVERY_MS);
    }
  })();

  const deadlineForStop = Date.now() + 300_000;
  while (modelRuns < stopAfter && Date.now() < deadlineForStop) await sleep(20);
  expect(modelRuns).toBeGreaterThanOrEqual(stopAfter);
  const running = server as DevServer;
  const stoppedAt = Date.now();
  process.kill(running.pid, 'SIGKILL');
  await running.exited;
  const runsAtStop = modelRuns;
  const acknowledgedAtStop = load.acknowledged.size;
  const failedBeforeStop = load.failedAttempts;

  await sleep(scale.serverDowntimeMs);
  const restarting = Date.now();
  server = await startDevServer(serverOptions);
  const restartedAt = Date.now();
  await sleep(2000);
  trickling = false;
  await trickle;
  // Every trickled submit is retried until acknowledged.
  const ackDeadline = Date.now() + 120_000;
  while (load.acknowledged.size < burstTasks.length + trickled && Date.now() < ackDeadline) await sleep(100);
  load.stop();

  const ids = [...load.acknowledged];
  const resultDeadline = Date.now() + 240_000;
  const results = new Map<string, TaskResult | string>();
  const pending = [...ids];
  await Promise.all(Array.from({ length: 16 }, async () => {
    for (let id = pending.shift(); id; id = pending.shift()) results.set(id, await settledResult(id, resultDeadline));
  }));
  const facts = await readRunFacts((env as OffloadTestEnv).client, ids);
  const lastClose = Math.max(...facts.map((f) => f.closedAt ?? 0));
  const firstModelAfterRestart = Math.min(...facts.map((f) => f.modelCompletedAt ?? Infinity).filter((t) => t > restartedAt));
  const inFlightAtStop = facts.filter((f) => f.closedAt === undefined || f.closedAt > stoppedAt).filter((f) => burstTasks.some((t) => t.task_id === f.taskId)).length;
  const retried = facts.filter((f) => f.modelAttempts.some((a) => a >= 2));
  const triedWhileDown = [...load.timings].filter(([, t]) => t.firstTry >= stoppedAt && t.firstTry < restartedAt);
  const slowestAck = Math.max(...[...load.timings.values()].map((t) => (t.acknowledged ?? Infinity) - t.firstTry));
  const runs = await listedRuns((env as OffloadTestEnv).client, `OffloadRobot = '${robotId}'`, ids);

  console.log(
    [
      `server restart (${scale.full ? 'full' : 'reduced'}): ${burstTasks.length} tasks at once (${burst} vision.detection, ${nluTasks} text.nlu) + a detection every ${TRICKLE_EVERY_MS} ms across the outage; ${ids.length} acknowledged in all`,
      `dev server killed (SIGKILL) after ${runsAtStop} model runs; ${acknowledgedAtStop} tasks acknowledged by then, ${inFlightAtStop} of the burst still in flight (run not closed)`,
      `down ${restartedAt - stoppedAt} ms (${scale.serverDowntimeMs} ms waiting + restart on the same db file and ports in ${restartedAt - restarting} ms)`,
      `recovery: first model result recorded ${firstModelAfterRestart - restartedAt} ms after the restart; all runs closed ${lastClose - restartedAt} ms after the restart`,
      `client: ${triedWhileDown.length} submits tried while the server was down, acknowledged after the restart (slowest acknowledgement ${slowestAck} ms); failed submit calls retried by the load generator: ${load.failedAttempts - failedBeforeStop}`,
      `model runs ${modelRuns} for ${ids.length} tasks; ${retried.length} task(s) with a retried model activity (after: ${[...new Set(retried.flatMap((f) => f.retryCauses))].join('; ') || '-'})`,
      `all completed: ${[...results.values()].every((r) => typeof r !== 'string' && r.status === 'completed')}`,
    ].join('\n'),
  );

  expect(inFlightAtStop).toBeGreaterThanOrEqual(scale.tasksInFlightAtServerRestart);
  for (const task of burstTasks) expect(load.acknowledged.has(task.task_id)).toBe(true);
  // Requests made while the server was down were taken once it was back (and complete like the rest, below).
  expect(triedWhileDown.length).toBeGreaterThan(0);
  expect(triedWhileDown.filter(([id]) => !load.acknowledged.has(id))).toEqual([]);
  const notCompleted = [...results].filter(([, r]) => typeof r === 'string' || r.status !== 'completed' || r.meta.fallback_required);
  expect(notCompleted.map(([id, r]) => `${id}: ${typeof r === 'string' ? r : `${r.status} ${r.error ?? ''}`}`)).toEqual([]);
  // The restarted server's visibility: one run per acknowledged task, completed, and no run for anything else.
  expect(ids.filter((id) => runs.get(id)?.join() !== 'COMPLETED').map((id) => `${id}: ${runs.get(id)?.join() ?? 'not listed'}`)).toEqual([]);
  expect([...runs.keys()].filter((id) => !load.acknowledged.has(id))).toEqual([]);
  expect(modelRuns).toBeGreaterThanOrEqual(ids.length);
}, TEST_TIMEOUT_MS);
