import { setTimeout as sleep } from 'node:timers/promises';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerProviderRoutes } from '../../src/api/provider-routes';
import { robotCapabilities } from '../../src/bridge/capabilities';
import { createLiveWorkerProbe } from '../../src/client/live-workers';
import type { DeliveryOutcome } from '../../src/shared/delivery';
import type { TaskResult } from '../../src/shared/task';
import { BridgeTestEnv } from '../harness/bridge-env';
import { faultScale } from '../harness/fault-scale';
import { modelSubsetDir } from '../harness/fault-support';
import { pollUntil, waitUntil } from '../harness/poll-until';
import type { ReceivedMessage } from '../harness/robot-simulator';
import { RobotWatchdog, type WatchdogPoll } from '../harness/robot-watchdog';
import { lastHeartbeat } from '../harness/worker-heartbeats';
import { InferenceWorkerProcess } from '../harness/worker-process';

/**
 * The robot streams frames at 5 fps while its PC's inference workers die (SIGKILL) or hang (SIGSTOP):
 * every frame must still get its fail-safe answer within the robot's 1 s. The frames the workers
 * leave behind are answered by their runs (a superseded frame gives its fail-safe before its deadline,
 * see deliver-to-robot.ts); once the bridge's probe of Temporal's worker heartbeats sees no live
 * worker, by the bridge at once, without a run. The robot's watchdog meanwhile gets 503s and goes local.
 */
const scale = faultScale();
const FPS = 5;
const RESULT_TOPIC = 'vision.obstacle.enhanced';
/** The robot's budget, counted from when it sent the frame (the acceptance criterion of #13). */
const WITHIN_MS = 1000;
const MIN_SHARE = 0.95;

let t: BridgeTestEnv;
let api: FastifyInstance;
let apiUrl: string;
let modelDir: string;
const workers: InferenceWorkerProcess[] = [];

beforeAll(async () => {
  // Frames keep the robot's own 1 s deadline (the bridge's default): that is what is measured here.
  t = await BridgeTestEnv.start({ hardware: [], env: { OFFLOAD_ROUTES: 'vision.frame=cpu', OFFLOAD_DEADLINES_MS: 'vision.frame=1000' } });
  api = Fastify();
  registerProviderRoutes(api, { offload: t.env.offload, capabilities: robotCapabilities(t.env.client, t.env.config) });
  await api.listen({ host: '127.0.0.1', port: 0 });
  apiUrl = `http://127.0.0.1:${(api.server.address() as { port: number }).port}`;
  modelDir = modelSubsetDir(['yolox-nano']);
}, 120_000);

afterAll(async () => {
  for (const worker of workers) await worker.kill();
  await api?.close();
  await t?.close();
});

async function startWorker(): Promise<InferenceWorkerProcess> {
  const worker = await InferenceWorkerProcess.start({
    temporalAddress: process.env.OFFLOAD_TEST_TEMPORAL_ADDRESS as string,
    queuePrefix: t.env.config.queuePrefix,
    modelDir,
    hardware: 'cpu',
  });
  workers.push(worker);
  return worker;
}

const metaOf = (m: ReceivedMessage) => (m.payload.meta ?? {}) as Record<string, unknown>;
const answersTo = (ts: number) => t.robot.answersTo(RESULT_TOPIC, { requestTs: ts });
const answeredAtOnce = () => t.counter('bridge_answered_without_run_total', { task_type: 'vision.frame', reason: 'no_live_worker' });

interface FrameFate {
  ts: number;
  sentAt: number;
  /** First answer, ms after sending; undefined when none came. */
  latencyMs?: number;
  answers: ReceivedMessage[];
  /** The run's result; undefined when the bridge answered without one. */
  run?: TaskResult;
}

/** What became of the frame: its answers, and its run's result once the run has ended (none for a frame answered at once). */
async function fateOf(ts: number, sentAt: number): Promise<FrameFate | undefined> {
  const answers = answersTo(ts);
  const handle = t.env.client.workflow.getHandle(`frame-${t.robotId}-${ts}`);
  const status = await handle.describe().then(
    (d) => d.status.name,
    () => 'none',
  );
  if (status === 'RUNNING' || (status === 'none' && answers.length === 0)) return undefined;
  const run = status === 'none' ? undefined : ((await handle.result().catch(() => undefined)) as TaskResult | undefined);
  return { ts, sentAt, answers, run, ...(answers.length ? { latencyMs: answers[0].at - sentAt } : {}) };
}

function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] : NaN;
}

function figures(fates: FrameFate[]): string {
  const latencies = fates.map((f) => f.latencyMs ?? Infinity);
  const within = latencies.filter((ms) => ms <= WITHIN_MS).length;
  const ms = (value: number) => (Number.isFinite(value) ? `${Math.round(value)} ms` : 'none');
  return `${within}/${fates.length} within ${WITHIN_MS} ms (${((100 * within) / Math.max(1, fates.length)).toFixed(1)} %), p50 ${ms(percentile(latencies, 0.5))} / p95 ${ms(percentile(latencies, 0.95))}`;
}

/** Why the robot got no answer for a frame: its run's delivery, the path its fail-safe took, the ladder's steps. */
function unansweredWhy(f: FrameFate): string {
  if (!f.run) return 'no run';
  const { delivery, superseded_by: supersededBy, degradation } = f.run.meta;
  const path = supersededBy ? `superseded by ${supersededBy}` : `ladder ${degradation.map((step) => `${step.from}: ${step.reason}`).join(', ') || 'none'}`;
  return `${(delivery as DeliveryOutcome | undefined)?.status ?? 'no delivery'} (${path}; ${(delivery as DeliveryOutcome | undefined)?.detail ?? f.run.error})`;
}

const FAULTS: Array<[string, (worker: InferenceWorkerProcess) => Promise<void>]> = [
  ['SIGKILL', (worker) => worker.kill()],
  ['SIGSTOP', async (worker) => void process.kill(worker.pid, 'SIGSTOP')],
];

test.each(FAULTS)(
  'inference worker %s while the robot streams at 5 fps: every frame gets its fail-safe once (>= 95 %% within 1 s in the full run), and the watchdog goes local after 3 polls',
  async (signal, fault) => {
    const worker = await startWorker();
    const stream = t.robot.startFrameStream(FPS);
    let faultAt = 0;
    let unservedAt = 0;
    let polls: WatchdogPoll[] = [];
    try {
      const startedAt = performance.now();
      await waitUntil('a frame is answered by the model', () => t.robot.received.some((m) => m.topic === RESULT_TOPIC && m.at > startedAt && metaOf(m).fallback_required === false), 120_000);
      // A worker's silence can be judged from its second heartbeat on (it tells its interval), as for a PC up for a while.
      await waitUntil('the worker heartbeats at its interval', async () => ((await lastHeartbeat(t.env.client, t.env.config.queuePrefix, 'cpu', worker.pid))?.sincePreviousMs ?? 0) > 0, 60_000);
      const watchdog = new RobotWatchdog(apiUrl);
      const atOnceBefore = await answeredAtOnce();
      faultAt = performance.now();
      await fault(worker);
      const watching = watchdog.run(scale.watchdogIntervalMs, (p) => p.mode === 'local', 100);
      // The bridge's probe sees the worker gone when it answers a frame at once (polled, however long its heartbeats take to be overdue).
      await waitUntil('the bridge answers a frame at once', async () => (await answeredAtOnce()) > atOnceBefore, 60_000, async () =>
        JSON.stringify({ workers: await createLiveWorkerProbe(t.env.client, t.env.config.queuePrefix).liveWorkers(), bridge: t.logs.lines.filter((l) => /worker/.test(String(l.msg))).slice(-5) }),
      );
      unservedAt = performance.now();
      polls = await watching;
      await sleep(Math.max(0, faultAt + scale.workersGoneStreamMs - performance.now()));
    } finally {
      await stream.stop();
    }

    const sent = [...stream.sentAt].filter(([, at]) => at >= faultAt);
    const fates = new Map<number, FrameFate>();
    const settled = await pollUntil(
      async () => {
        for (const [ts, at] of sent) if (!fates.has(ts)) fates.set(ts, (await fateOf(ts, at)) as FrameFate);
        for (const [ts, fate] of fates) if (!fate) fates.delete(ts);
        return fates.size === sent.length;
      },
      60_000,
      500,
    );
    expect(settled).toBe(true);
    const all = sent.map(([ts]) => fates.get(ts) as FrameFate);
    const withRun = all.filter((f) => f.run);
    const atOnce = all.filter((f) => !f.run);
    const unanswered = all.filter((f) => f.answers.length === 0);
    const share = all.filter((f) => (f.latencyMs ?? Infinity) <= WITHIN_MS).length / all.length;

    console.log(
      [
        `workers gone (${signal}, ${scale.full ? 'full' : 'reduced'}): ${all.length} frames at ${FPS} fps in the ${Math.round(scale.workersGoneStreamMs / 1000)} s after the fault: ${figures(all)}`,
        `  answered by their runs (before the bridge saw no live worker): ${figures(withRun)}; at once without a run: ${figures(atOnce)}`,
        `  the bridge answered at once from ${Math.round(unservedAt - faultAt)} ms after the fault; unanswered: ${unanswered.length} (${unanswered.map(unansweredWhy).join('; ') || 'none'})`,
        `  watchdog (every ${scale.watchdogIntervalMs} ms): ${polls.map((p) => p.status ?? p.error).join(', ')} -> ${polls[polls.length - 1]?.mode}`,
      ].join('\n'),
    );

    // Every answer is the fail-safe, once per frame: an obstacle of unknown distance, the robot to do it itself.
    for (const f of all) {
      expect(f.answers.length).toBeLessThanOrEqual(1);
      for (const a of f.answers) expect(a.payload).toMatchObject({ present: true, confidence: 0, meta: { fallback_required: true } });
    }
    // Once the bridge saw no live worker, no frame waited for a run.
    expect(all.filter((f) => f.sentAt >= unservedAt && f.run).map((f) => f.ts)).toEqual([]);
    expect(atOnce.length).toBeGreaterThan(0);
    // A frame goes unanswered only when a newer frame's answer had reached the robot first, or when its
    // fail-safe reached the bridge past the deadline (stale): typically a frame whose inference had
    // started on the worker that died, whose ladder then waits for Temporal's timeout timers, which fire
    // late (see docs/robot-protocol.md). Never for want of a run, a bridge or an answer.
    expect(unanswered.map((f) => (f.run?.meta.delivery as DeliveryOutcome | undefined)?.status ?? 'no run').filter((status) => status !== 'superseded' && status !== 'stale')).toEqual([]);
    // Once no worker was live, each frame was answered by the bridge itself: once, whatever the machine's speed.
    const afterUnserved = all.filter((f) => f.sentAt >= unservedAt);
    expect(afterUnserved.map((f) => [f.ts, f.answers.length])).toEqual(afterUnserved.map((f) => [f.ts, 1]));
    // How many made the robot's 1 s is a speed figure: `npm test` runs beside other suites and only reports it;
    // the full run (`npm run test:faults`, a quiet machine) holds #13's goal.
    if (scale.full) expect(share).toBeGreaterThanOrEqual(MIN_SHARE);
    // The watchdog: three failed polls in a row, all 503, and it is local.
    expect(polls.slice(-3).map((p) => [p.status, p.failures, p.mode])).toEqual([
      [503, 1, 'pc'],
      [503, 2, 'pc'],
      [503, 3, 'local'],
    ]);
  },
  300_000,
);
