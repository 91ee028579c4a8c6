import { execFile } from 'node:child_process';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { BareLoopReport, BareLoopRequest } from './bare-yolox-loop';
import { runThroughBullmq, type BullmqFigures } from './bullmq-yolox';
import { NOOP_WARMUP_WORKFLOWS } from './noop-workflows';
import { runThroughOffload, type OffloadFigures } from './offload-yolox';
import { formatRobotsTable } from './robots-bench';
import { measureRobotsPerPc, type RobotsPerPcRow } from './robots-per-pc';
import { formatSideBySideTable, type SideBySideRow } from './side-by-side-table';
import { writeResult } from './write-result';
import { IMAGE, INTRA_OP_THREADS, yoloxSourceDir, type SideBySideSettings } from './yolox-job';
import { percentile } from '../test/harness/percentile';

const REPO_ROOT = resolve(__dirname, '..', '..');

/** The bare loop's figures every other row is compared with. */
interface BareBaseline {
  p50Ms: number;
  p99Ms: number;
  throughputPerS: number;
  /** The model's own CPU per detection: what a row spends beyond it is orchestration. */
  cpuMsPerTask: number;
}

/**
 * YOLOX-nano side by side, one detection job four ways: a bare onnxruntime-node loop; through
 * Offload (OffloadClient.submit → result, dev server + workflow worker + cpu inference worker in
 * this process) with the fast-path levers off ("before") and on ("after"), each on its own fresh
 * dev server; and through BullMQ on a local redis-server. Latency, throughput, CPU per task and
 * orchestration CPU per task; for Offload also event-loop lag and no-op workflows/s, for "after"
 * cold start. Ends with a plain-text table of the rows.
 */
export async function benchSideBySide(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const concurrency = 2 * cpus().length;
  const settings: SideBySideSettings = quick
    ? { warmupRuns: 3, latencyRuns: 30, throughputMs: 6_000, concurrency, noopWorkflows: 300, noopConcurrency: 100 }
    : { warmupRuns: 10, latencyRuns: 200, throughputMs: 30_000, concurrency, noopWorkflows: 2000, noopConcurrency: 100 };
  const sourceModelDir = yoloxSourceDir();
  const onnxPath = join(sourceModelDir, 'yolox_nano.onnx');
  Runtime.install({ logger: new DefaultLogger('ERROR') });

  console.log(`bare loop: ${settings.latencyRuns} sequential runs, then ${settings.throughputMs / 1000} s at concurrency ${concurrency}...`);
  const bareRun = await runBareLoop({
    modelPath: onnxPath,
    imagePath: IMAGE,
    intraOpThreads: INTRA_OP_THREADS,
    warmupRuns: settings.warmupRuns,
    latencyRuns: settings.latencyRuns,
    throughputConcurrency: concurrency,
    throughputMs: settings.throughputMs,
  });
  const bare: BareBaseline = {
    p50Ms: percentile(bareRun.latenciesMs, 50),
    p99Ms: percentile(bareRun.latenciesMs, 99),
    throughputPerS: (bareRun.throughputCompleted / bareRun.throughputElapsedMs) * 1000,
    cpuMsPerTask: bareRun.throughputCpuMs / bareRun.throughputCompleted,
  };

  const beforeRun = await runThroughOffload(sourceModelDir, settings, { fastPath: false, measureColdStart: false });
  const afterRun = await runThroughOffload(sourceModelDir, settings, { fastPath: true, measureColdStart: true });
  console.log('bullmq: starting redis-server...');
  const bullmqRun = await runThroughBullmq(sourceModelDir, settings);
  if ('skipped' in bullmqRun) console.log(`bullmq row skipped: ${bullmqRun.skipped}`);

  const robotsOptions = { robots: [1, 2, 4], fps: 5, durationMs: quick ? 10_000 : 30_000, warmupMs: quick ? 2_000 : 3_000 };
  console.log(`robots per PC, fast path off: N = ${robotsOptions.robots.join(', ')} robots at ${robotsOptions.fps} fps, ${robotsOptions.durationMs / 1000} s each...`);
  const robotsBefore = await measureRobotsPerPc({ ...robotsOptions, extraEnv: { OFFLOAD_FAST_PATH: 'false' } });
  console.log('robots per PC, fast path on...');
  const robotsAfter = await measureRobotsPerPc(robotsOptions);

  const before = offloadFigures(beforeRun, bare, settings);
  const after = offloadFigures(afterRun, bare, settings);
  const bullmq = 'skipped' in bullmqRun ? { skipped: bullmqRun.skipped } : bullmqFigures(bullmqRun.figures, bare);
  const cold = afterRun.coldStart;
  if (!cold) throw new Error('the "after" run measured no cold start');

  writeResult(
    // A quick run does not overwrite the full run's record.
    quick ? 'side-by-side-quick' : 'side-by-side',
    {
      ...after,
      cold_start_ms: round(cold.workerProcess.startToPollMs),
      bare_p50_ms: round(bare.p50Ms),
      bare_p99_ms: round(bare.p99Ms),
      bare_throughput_per_s: round(bare.throughputPerS),
      bare_cpu_ms_per_task: round(bare.cpuMsPerTask),
      cores_busy_bare: round(bareRun.throughputCpuMs / bareRun.throughputElapsedMs, 2),
      concurrency,
      worker_slots: concurrency,
      cold_worker_first_result_ms: round(cold.workerProcess.startToFirstResultMs),
      cold_worker_models: cold.workerProcess.models.length,
      cold_worker_all_models_ms: round(cold.workerProcess.startToAllModelsMs),
      cold_yolox_only_pickup_ms: round(cold.inProcess.pickupMs),
      cold_model_load_ms: round(cold.inProcess.modelLoadMs),
      cold_worker_create_ms: round(cold.inProcess.workerCreateMs),
      cold_first_result_ms: round(cold.inProcess.firstResultMs),
      cold_first_task_ms: round(cold.inProcess.firstTaskMs),
      latency_runs: settings.latencyRuns,
      throughput_s: settings.throughputMs / 1000,
      noop_workflows: settings.noopWorkflows,
      noop_concurrency: settings.noopConcurrency,
      ...robotFigures(robotsAfter),
    },
    {
      quick,
      intra_op_threads: INTRA_OP_THREADS,
      model: onnxPath,
      image: IMAGE,
      before: { ...before, ...robotFigures(robotsBefore) },
      bullmq,
      robots_per_pc: { before: robotsBefore, after: robotsAfter },
      measured: {
        rows: 'bare, then Offload "before" (levers off), Offload "after" (levers on), then BullMQ, one after another in this order; the top-level Offload figures are the "after" run, `before` has the same names for the "before" run',
        before_after: '"before": a Temporal Client on its own Connection.connect, OffloadClient config fastPath: false, model activities heartbeat at their start, no-op workflows started without requestEagerStart. "after": the Client built on the workflow worker\'s NativeConnection (new Client({ connection: native })), OffloadClient config fastPath: true (eager start), no heartbeat when a model activity starts, no-op workflows started with requestEagerStart (noop_eagerly_started: how many of them the server started eagerly). Each on its own fresh dev server and data dir',
        overhead: 'p50/p99 of OffloadClient.submit(vision.detection, route [cpu]) → result (BullMQ: queue.add → job.waitUntilFinished), one in flight, minus p50/p99 of bare letterbox + session.run() in a child process',
        throughput: `closed loop, ${concurrency} in flight for ${settings.throughputMs / 1000} s, completed per second (row / bare); Offload worker slots and BullMQ worker concurrency ${concurrency}`,
        event_loop_lag: 'perf_hooks.monitorEventLoopDelay (resolution 1 ms) in the bench process during the Offload throughput run; that process hosts the inference worker AND the workflow worker and client, so this is an upper bound for the inference worker alone',
        cold_start: `"after" run only. cold_start_ms: spawn of node dist/src/main/inference-worker.js (every installed model: ${cold.workerProcess.models.join(', ')}) until its "polling" line (OFFLOAD_SERVE_WHILE_LOADING, default true: its first model is warm, the others still load); cold_worker_first_result_ms: until the result of a detection that was waiting in its queue; cold_worker_all_models_ms: until its "models loaded and warm" line (polled at 50 ms, so up to 50 ms late). cold_yolox_only_pickup_ms: in this process, createModelRuntime with yolox-nano only + worker creation until the waiting task reached runtime.detect (onnxruntime-node and sharp were already loaded in this process by the "before" run); cold_first_result_ms: same start until the result is back; cold_first_task_ms: pickup → result`,
        server_span: 'p50 of first-to-last history event time of the last 20 sequential runs; server_event_gaps_p50_ms: p50 gap between consecutive history events (n:previous→next), "after" run',
        model_stages: 'p50 of the result meta.timings the detector reports (inside the activity)',
        cpu_per_task: 'user+system CPU time during the throughput run divided by tasks completed: the bare child process; for Offload this process (client, workflow worker, inference worker with its session thread) and the dev server process (/proc/<pid>/stat); for BullMQ this process (producer, QueueEvents, worker with the session thread) and the redis-server process',
        orchestration_cpu: 'orchestration_cpu_ms_per_task: (this process + dev server, or + redis-server) CPU per detection during the throughput run minus the model CPU per detection, taken as the bare loop\'s CPU per task (letterbox + session.run(); the row\'s JPEG decode for the activity result and postprocess count as orchestration); noop_orchestration_cpu_ms_per_wf: (this process + dev server) CPU per no-op workflow, warm-up batch included, no model',
        noop: `${settings.noopWorkflows} no-op workflows started and awaited with ${settings.noopConcurrency} in flight (after ${NOOP_WARMUP_WORKFLOWS} warm-up ones) on the run's dev server (SQLite file, as npm start runs it), after its throughput run`,
        robots_per_pc: `N = ${robotsOptions.robots.join(', ')} simulated robots at ${robotsOptions.fps} fps of the 320x240 fixtures for ${robotsOptions.durationMs / 1000} s each, against one npm start (its bridge serves the first robot) plus a broker and bridge process per extra robot; "before" with OFFLOAD_FAST_PATH=false everywhere, "after" with the default; robots_N_within_1s_pct: frames the robot got vision.obstacle.enhanced for within 1 s of sending (fail-safe answers included: the robot was not left blind), robots_N_by_model_within_1s_pct: of those, answered by the model; p50/p95 frame → answer over answered frames; cores busy over the streaming window (machine: /proc/stat)`,
        bullmq: 'BullMQ 6 + ioredis on a redis-server (Debian package) started on a free port with --save \'\' --appendonly no; Queue, QueueEvents and a Worker (concurrency as above) in this process, the processor calls createModelRuntime (yolox-nano only, intraOpThreads as Offload) .detect on the job\'s base64 JPEG; default job options (no retries, completed jobs kept in Redis); stages_p50_ms of the sequential jobs from the timestamps BullMQ keeps on a job (Date.now(), 1 ms resolution): queued_ms job.timestamp (set by queue.add before its round trip) → processedOn, processing_ms processedOn → finishedOn, notified_ms finishedOn → waitUntilFinished resolved, and the model\'s own timings returned by the processor; skipped when redis-server cannot be found or installed',
      },
      goals: { overhead_p50_ms: '<= 15', overhead_p99_ms: '<= 50', throughput_ratio: '>= 0.9', noop_wf_per_s: '>= 100', orchestration_cpu_ms_per_task: '<= 15', robots_4_within_1s_pct: '>= 95', event_loop_lag_p99_ms: '<= 20', cold_start_ms: '<= 3000' },
      server_event_gaps_p50_ms: afterRun.history.gapsP50Ms,
      raw: {
        bare_latencies_ms: bareRun.latenciesMs.map((v) => round(v)),
        offload_latencies_ms: afterRun.latenciesMs.map((v) => round(v)),
        before_latencies_ms: beforeRun.latenciesMs.map((v) => round(v)),
        ...('figures' in bullmqRun ? { bullmq_latencies_ms: bullmqRun.figures.latenciesMs.map((v) => round(v)) } : {}),
      },
    },
  );

  const rows: SideBySideRow[] = [
    { name: 'bare', p50Ms: bare.p50Ms, p99Ms: bare.p99Ms, throughputPerS: bare.throughputPerS, throughputRatio: 1, cpuMsPerTask: bare.cpuMsPerTask },
    offloadRow('Offload before', before),
    offloadRow('Offload after', after),
    'skipped' in bullmq
      ? { name: 'BullMQ', skipped: bullmq.skipped }
      : {
          name: 'BullMQ',
          p50Ms: bullmq.p50_ms,
          p99Ms: bullmq.p99_ms,
          overheadP50Ms: bullmq.overhead_p50_ms,
          overheadP99Ms: bullmq.overhead_p99_ms,
          throughputPerS: bullmq.throughput_per_s,
          throughputRatio: bullmq.throughput_ratio,
          cpuMsPerTask: bullmq.cpu_ms_per_task_process + bullmq.cpu_ms_per_task_redis,
          orchestrationCpuMsPerTask: bullmq.orchestration_cpu_ms_per_task,
        },
  ];
  console.log(`\nYOLOX-nano side by side (concurrency ${concurrency}, ${settings.latencyRuns} sequential, ${settings.throughputMs / 1000} s closed loop)\n`);
  console.log(formatSideBySideTable(rows));
  console.log(`\nRobots per PC, fast path off (before)\n${formatRobotsTable(robotsBefore)}`);
  console.log(`\nRobots per PC, fast path on (after)\n${formatRobotsTable(robotsAfter)}`);
}

/** The robots-per-PC figures the results file keeps at its top level (the rows are kept in full beside). */
function robotFigures(rows: RobotsPerPcRow[]): Record<string, number> {
  return Object.fromEntries(
    rows.flatMap((row) => [
      [`robots_${row.robots}_within_1s_pct`, row.answeredWithinDeadlinePct],
      [`robots_${row.robots}_by_model_within_1s_pct`, row.answeredByModelWithinDeadlinePct],
      [`robots_${row.robots}_p50_ms`, row.p50Ms],
      [`robots_${row.robots}_p95_ms`, row.p95Ms],
      [`robots_${row.robots}_cores_busy`, row.machineCoresBusy],
    ]),
  );
}

/** One Offload run's figures, named as the results file names them. */
function offloadFigures(run: OffloadFigures, bare: BareBaseline, settings: SideBySideSettings) {
  const p50 = percentile(run.latenciesMs, 50);
  const p99 = percentile(run.latenciesMs, 99);
  const throughput = (run.throughput.completed / run.throughput.elapsedMs) * 1000;
  const cpuPerTask = (run.cpuMs.workers + run.cpuMs.server) / run.throughput.completed;
  const noopStarted = settings.noopWorkflows + NOOP_WARMUP_WORKFLOWS;
  const stage = (name: string): number => round(percentile(run.stageMs[name] ?? [], 50));
  return {
    overhead_p50_ms: round(p50 - bare.p50Ms),
    overhead_p99_ms: round(p99 - bare.p99Ms),
    throughput_ratio: round(throughput / bare.throughputPerS, 3),
    noop_wf_per_s: round((settings.noopWorkflows / run.noop.elapsedMs) * 1000),
    event_loop_lag_p99_ms: round(run.lag.p99Ms),
    offload_p50_ms: round(p50),
    offload_p99_ms: round(p99),
    offload_model_preprocess_p50_ms: stage('preprocess_ms'),
    offload_model_inference_p50_ms: stage('inference_ms'),
    offload_model_postprocess_p50_ms: stage('postprocess_ms'),
    offload_server_span_p50_ms: round(run.history.spanP50Ms),
    offload_throughput_per_s: round(throughput),
    offload_throughput_failed: run.throughput.failed,
    offload_cpu_ms_per_task_workers: round(run.cpuMs.workers / run.throughput.completed),
    offload_cpu_ms_per_task_server: round(run.cpuMs.server / run.throughput.completed),
    orchestration_cpu_ms_per_task: round(cpuPerTask - bare.cpuMsPerTask),
    cores_busy_offload: round((run.cpuMs.workers + run.cpuMs.server) / run.throughput.elapsedMs, 2),
    event_loop_lag_max_ms: round(run.lag.maxMs),
    noop_cpu_ms_per_wf_server: round(run.noopCpuMs.server / noopStarted),
    noop_cpu_ms_per_wf_workers: round(run.noopCpuMs.workers / noopStarted),
    noop_orchestration_cpu_ms_per_wf: round((run.noopCpuMs.server + run.noopCpuMs.workers) / noopStarted),
    noop_eagerly_started: run.noop.eagerlyStarted,
  };
}

function offloadRow(name: string, figures: ReturnType<typeof offloadFigures>): SideBySideRow {
  return {
    name,
    p50Ms: figures.offload_p50_ms,
    p99Ms: figures.offload_p99_ms,
    overheadP50Ms: figures.overhead_p50_ms,
    overheadP99Ms: figures.overhead_p99_ms,
    throughputPerS: figures.offload_throughput_per_s,
    throughputRatio: figures.throughput_ratio,
    cpuMsPerTask: figures.offload_cpu_ms_per_task_workers + figures.offload_cpu_ms_per_task_server,
    orchestrationCpuMsPerTask: figures.orchestration_cpu_ms_per_task,
    noopWfPerS: figures.noop_wf_per_s,
    noopCpuMsPerWf: figures.noop_orchestration_cpu_ms_per_wf,
  };
}

/** The BullMQ run's figures, named as the results file names them. */
function bullmqFigures(run: BullmqFigures, bare: BareBaseline) {
  const p50 = percentile(run.latenciesMs, 50);
  const p99 = percentile(run.latenciesMs, 99);
  const throughput = (run.throughput.completed / run.throughput.elapsedMs) * 1000;
  const cpuPerTask = (run.cpuMs.process + run.cpuMs.redis) / run.throughput.completed;
  return {
    p50_ms: round(p50),
    p99_ms: round(p99),
    overhead_p50_ms: round(p50 - bare.p50Ms),
    overhead_p99_ms: round(p99 - bare.p99Ms),
    throughput_per_s: round(throughput),
    throughput_ratio: round(throughput / bare.throughputPerS, 3),
    throughput_failed: run.throughput.failed,
    cpu_ms_per_task_process: round(run.cpuMs.process / run.throughput.completed),
    cpu_ms_per_task_redis: round(run.cpuMs.redis / run.throughput.completed),
    orchestration_cpu_ms_per_task: round(cpuPerTask - bare.cpuMsPerTask),
    cores_busy: round((run.cpuMs.process + run.cpuMs.redis) / run.throughput.elapsedMs, 2),
    stages_p50_ms: Object.fromEntries(Object.entries(run.stageMs).map(([name, values]) => [name, round(percentile(values, 50))])),
  };
}

async function runBareLoop(request: BareLoopRequest): Promise<BareLoopReport> {
  const script = join(__dirname, 'bare-yolox-loop.js');
  const { stdout } = await promisify(execFile)(process.execPath, [script, JSON.stringify(request)], { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '') as BareLoopReport;
}

function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
