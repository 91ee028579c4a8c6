import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { startDevServer } from '../temporal/dev-server';
import { resolveTemporalCli } from '../temporal/install-cli';
import { OffloadClient } from '../src/client/offload-client';
import { loadConfig } from '../src/config/load-config';
import { createModelRuntime, type ModelRuntime } from '../src/models';
import { workflowQueue } from '../src/shared/queues';
import type { TaskPolicy } from '../src/shared/workflow-input';
import type { TaskResult } from '../src/shared/task';
import { createInferenceWorker } from '../src/workers/inference-worker';
import { createWorkflowWorker } from '../src/workers/workflow-worker';
import type { BareLoopReport, BareLoopRequest } from './bare-yolox-loop';
import { historyGaps } from './history-gaps';
import { measureNoopWorkflows, NOOP_WARMUP_WORKFLOWS } from './noop-workflows';
import { startCpuMeter } from './process-cpu';
import { measureWorkerColdStart, type WorkerColdStart } from './worker-cold-start';
import { writeResult } from './write-result';
import { percentile } from '../test/harness/percentile';

const REPO_ROOT = resolve(__dirname, '..', '..');
const IMAGE = resolve(REPO_ROOT, '..', 'shared', 'fixtures', 'images', 'dog_320x240.jpg');
const INTRA_OP_THREADS = 1;

interface Settings {
  warmupRuns: number;
  latencyRuns: number;
  throughputMs: number;
  concurrency: number;
  noopWorkflows: number;
  noopConcurrency: number;
}

/**
 * YOLOX-nano through Offload end to end (OffloadClient.submit → result, dev server + workflow
 * worker + cpu inference worker in this process) next to a bare onnxruntime-node loop with the
 * same preprocessing and thread settings: latency overhead, throughput ratio, event-loop lag,
 * cold start, CPU time per task, and no-op workflows/s on the same dev server (SQLite file).
 */
export async function benchSideBySide(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const concurrency = 2 * cpus().length;
  const settings: Settings = quick
    ? { warmupRuns: 3, latencyRuns: 30, throughputMs: 6_000, concurrency, noopWorkflows: 300, noopConcurrency: 100 }
    : { warmupRuns: 10, latencyRuns: 200, throughputMs: 30_000, concurrency, noopWorkflows: 2000, noopConcurrency: 100 };
  const sourceModelDir = yoloxSourceDir();
  const onnxPath = join(sourceModelDir, 'yolox_nano.onnx');

  console.log(`bare loop: ${settings.latencyRuns} sequential runs, then ${settings.throughputMs / 1000} s at concurrency ${concurrency}...`);
  const bare = await runBareLoop({
    modelPath: onnxPath,
    imagePath: IMAGE,
    intraOpThreads: INTRA_OP_THREADS,
    warmupRuns: settings.warmupRuns,
    latencyRuns: settings.latencyRuns,
    throughputConcurrency: concurrency,
    throughputMs: settings.throughputMs,
  });

  const offload = await runThroughOffload(sourceModelDir, settings);

  const bareP50 = percentile(bare.latenciesMs, 50);
  const bareP99 = percentile(bare.latenciesMs, 99);
  const offP50 = percentile(offload.latenciesMs, 50);
  const offP99 = percentile(offload.latenciesMs, 99);
  const bareThroughput = (bare.throughputCompleted / bare.throughputElapsedMs) * 1000;
  const offThroughput = (offload.throughputCompleted / offload.throughputElapsedMs) * 1000;
  const stage = (name: string): number => round(percentile(offload.stageMs[name] ?? [], 50));

  writeResult(
    // A quick run does not overwrite the full run's record.
    quick ? 'side-by-side-quick' : 'side-by-side',
    {
      overhead_p50_ms: round(offP50 - bareP50),
      overhead_p99_ms: round(offP99 - bareP99),
      throughput_ratio: round(offThroughput / bareThroughput, 3),
      noop_wf_per_s: round((settings.noopWorkflows / offload.noopElapsedMs) * 1000),
      event_loop_lag_p99_ms: round(offload.lag.p99Ms),
      cold_start_ms: round(offload.workerColdStart.startToPollMs),
      bare_p50_ms: round(bareP50),
      bare_p99_ms: round(bareP99),
      offload_p50_ms: round(offP50),
      offload_p99_ms: round(offP99),
      offload_model_preprocess_p50_ms: stage('preprocess_ms'),
      offload_model_inference_p50_ms: stage('inference_ms'),
      offload_model_postprocess_p50_ms: stage('postprocess_ms'),
      offload_server_span_p50_ms: round(offload.history.spanP50Ms),
      bare_throughput_per_s: round(bareThroughput),
      offload_throughput_per_s: round(offThroughput),
      offload_throughput_failed: offload.throughputFailed,
      bare_cpu_ms_per_task: round(bare.throughputCpuMs / bare.throughputCompleted),
      offload_cpu_ms_per_task_workers: round(offload.cpuMs.workers / offload.throughputCompleted),
      offload_cpu_ms_per_task_server: round(offload.cpuMs.server / offload.throughputCompleted),
      cores_busy_bare: round(bare.throughputCpuMs / bare.throughputElapsedMs, 2),
      cores_busy_offload: round((offload.cpuMs.workers + offload.cpuMs.server) / offload.throughputElapsedMs, 2),
      concurrency,
      worker_slots: concurrency,
      event_loop_lag_max_ms: round(offload.lag.maxMs),
      cold_worker_first_result_ms: round(offload.workerColdStart.startToFirstResultMs),
      cold_worker_models: offload.workerColdStart.models.length,
      cold_worker_all_models_ms: round(offload.workerColdStart.startToAllModelsMs),
      cold_yolox_only_pickup_ms: round(offload.cold.pickupMs),
      cold_model_load_ms: round(offload.cold.modelLoadMs),
      cold_worker_create_ms: round(offload.cold.workerCreateMs),
      cold_first_result_ms: round(offload.cold.firstResultMs),
      cold_first_task_ms: round(offload.cold.firstTaskMs),
      latency_runs: settings.latencyRuns,
      throughput_s: settings.throughputMs / 1000,
      noop_cpu_ms_per_wf_server: round(offload.noopCpuMs.server / (settings.noopWorkflows + NOOP_WARMUP_WORKFLOWS)),
      noop_cpu_ms_per_wf_workers: round(offload.noopCpuMs.workers / (settings.noopWorkflows + NOOP_WARMUP_WORKFLOWS)),
      noop_workflows: settings.noopWorkflows,
      noop_concurrency: settings.noopConcurrency,
    },
    {
      quick,
      intra_op_threads: INTRA_OP_THREADS,
      model: onnxPath,
      image: IMAGE,
      measured: {
        overhead: 'p50/p99 of OffloadClient.submit(vision.detection, route [cpu]) → result, one in flight, minus p50/p99 of bare letterbox + session.run() in a child process',
        throughput: `closed loop, ${concurrency} in flight for ${settings.throughputMs / 1000} s, completed per second (Offload / bare); Offload worker slots ${concurrency}`,
        event_loop_lag: 'perf_hooks.monitorEventLoopDelay (resolution 1 ms) in the bench process during the Offload throughput run; that process hosts the inference worker AND the workflow worker and client, so this is an upper bound for the inference worker alone',
        cold_start: `cold_start_ms: spawn of node dist/src/main/inference-worker.js (every installed model: ${offload.workerColdStart.models.join(', ')}) until its "polling" line (OFFLOAD_SERVE_WHILE_LOADING, default true: its first model is warm, the others still load); cold_worker_first_result_ms: until the result of a detection that was waiting in its queue; cold_worker_all_models_ms: until its "models loaded and warm" line (polled at 50 ms, so up to 50 ms late). cold_yolox_only_pickup_ms: in this process, createModelRuntime with yolox-nano only + worker creation until the waiting task reached runtime.detect; cold_first_result_ms: same start until the result is back; cold_first_task_ms: pickup → result`,
        server_span: 'p50 of first-to-last history event time of the last 20 sequential runs; server_event_gaps_p50_ms: p50 gap between consecutive history events (n:previous→next)',
        model_stages: 'p50 of the result meta.timings the detector reports (inside the activity)',
        cpu_per_task: 'user+system CPU time during the throughput run divided by tasks completed: the bare child process; this process (client, workflow worker, inference worker with its session thread) and the dev server process (/proc/<pid>/stat)',
        noop: `${settings.noopWorkflows} no-op workflows started and awaited with ${settings.noopConcurrency} in flight on the same dev server (SQLite file, as npm start runs it), after the throughput run`,
      },
      goals: { overhead_p50_ms: '<= 15', overhead_p99_ms: '<= 50', throughput_ratio: '>= 0.9', noop_wf_per_s: '>= 100', event_loop_lag_p99_ms: '<= 20', cold_start_ms: '<= 3000' },
      server_event_gaps_p50_ms: offload.history.gapsP50Ms,
      raw: { bare_latencies_ms: bare.latenciesMs.map((v) => round(v)), offload_latencies_ms: offload.latenciesMs.map((v) => round(v)) },
    },
  );
}

interface OffloadFigures {
  latenciesMs: number[];
  stageMs: Record<string, number[]>;
  throughputCompleted: number;
  throughputFailed: number;
  throughputElapsedMs: number;
  /** CPU time used during the throughput run by this process (client + workers) and by the dev server. */
  cpuMs: { workers: number; server: number };
  noopElapsedMs: number;
  noopCpuMs: { workers: number; server: number };
  workerColdStart: WorkerColdStart;
  lag: { p99Ms: number; maxMs: number };
  /** Server-side view of the sequential runs (see historyGaps). */
  history: { spanP50Ms: number; gapsP50Ms: Record<string, number> };
  cold: { modelLoadMs: number; workerCreateMs: number; pickupMs: number; firstResultMs: number; firstTaskMs: number };
}

async function runThroughOffload(sourceModelDir: string, settings: Settings): Promise<OffloadFigures> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const dataDir = mkdtempSync(join(tmpdir(), 'offload-bench-sbs-'));
  const modelDir = join(dataDir, 'models');
  cpSync(sourceModelDir, join(modelDir, 'yolox-nano'), { recursive: true });
  console.log('starting dev server and workflow worker...');
  const server = await startDevServer({ cliPath: await resolveTemporalCli(loadConfig(process.env)), uiPort: false, dbFile: join(dataDir, 'temporal.db'), logLevel: 'error' });
  const stops: Array<() => Promise<void>> = [async () => server.stop()];
  try {
    const native = await NativeConnection.connect({ address: server.address });
    stops.unshift(() => native.close());
    const connection = await Connection.connect({ address: server.address });
    stops.unshift(() => connection.close());
    const temporal = new Client({ connection });
    const queuePrefix = `bench-sbs-${Date.now()}`;
    const workflowWorker = await createWorkflowWorker({ connection: native, namespace: 'default', queuePrefix });
    stops.unshift(runInBackground(workflowWorker));
    const config = loadConfig({});
    const offload = new OffloadClient({ client: temporal, config: { ...config, queuePrefix } });
    const policy: Partial<TaskPolicy> = { route: ['cpu'], queuePrefix, pickupTimeoutMs: 60_000, deadlineMs: 60_000 };
    const request = { task_type: 'vision.detection', payload: { image_base64: readFileSync(IMAGE).toString('base64') } };

    // Workflow worker warm (its first run loads the workflow bundle), so the cold start below is the inference worker's.
    await temporal.workflow.execute('doNothing', { taskQueue: workflowQueue(queuePrefix), workflowId: `warm-${queuePrefix}` });

    console.log('cold start...');
    const waiting = await offload.submit(request, { wait: false, policy });
    await sleep(1000);
    const coldStart = performance.now();
    let pickedUpAt: number | undefined;
    const loaded = await createModelRuntime({ modelDir, hardware: 'cpu', executionProvider: 'cpu', intraOpThreads: INTRA_OP_THREADS });
    stops.unshift(() => loaded.close());
    const modelLoadedAt = performance.now();
    const runtime: ModelRuntime = {
      ...loaded,
      detect: async (image, options) => {
        pickedUpAt ??= performance.now();
        return loaded.detect(image, options);
      },
    };
    const inferenceWorker = await createInferenceWorker({
      connection: native,
      namespace: 'default',
      queuePrefix,
      hardware: 'cpu',
      runtime,
      slots: settings.concurrency,
      maxPayloadBytes: config.maxPayloadBytes,
    });
    const workerCreatedAt = performance.now();
    stops.unshift(runInBackground(inferenceWorker));
    expectCompleted(await offload.result(waiting.task_id));
    const firstResultAt = performance.now();
    if (pickedUpAt === undefined) throw new Error('the first detection completed without reaching the runtime');
    const cold = {
      modelLoadMs: modelLoadedAt - coldStart,
      workerCreateMs: workerCreatedAt - modelLoadedAt,
      pickupMs: pickedUpAt - coldStart,
      firstResultMs: firstResultAt - coldStart,
      firstTaskMs: firstResultAt - pickedUpAt,
    };

    console.log(`offload: ${settings.latencyRuns} sequential submits...`);
    for (let run = 0; run < settings.warmupRuns; run++) expectCompleted(await offload.submit(request, { policy }));
    const latenciesMs: number[] = [];
    const stageMs: Record<string, number[]> = {};
    const taskIds: string[] = [];
    for (let run = 0; run < settings.latencyRuns; run++) {
      const started = performance.now();
      const result = expectCompleted(await offload.submit(request, { policy }));
      latenciesMs.push(performance.now() - started);
      taskIds.push(result.task_id);
      for (const [name, value] of Object.entries(result.meta.timings ?? {})) (stageMs[name] ??= []).push(value);
    }

    const history = await historyGaps(temporal, taskIds.slice(-20));

    console.log(`offload: ${settings.throughputMs / 1000} s at concurrency ${settings.concurrency}...`);
    const monitor = monitorEventLoopDelay({ resolution: 1 });
    let completed = 0;
    let failed = 0;
    monitor.enable();
    const throughputCpu = startCpuMeter(server.pid);
    const started = performance.now();
    const until = started + settings.throughputMs;
    const lane = async (): Promise<void> => {
      while (performance.now() < until) {
        const result = await offload.submit(request, { policy });
        if (result.status === 'completed') completed++;
        else failed++;
      }
    };
    await Promise.all(Array.from({ length: settings.concurrency }, lane));
    const elapsed = performance.now() - started;
    monitor.disable();
    const cpuMs = throughputCpu.read();

    console.log(`no-op workflows: ${settings.noopWorkflows} with ${settings.noopConcurrency} in flight...`);
    const noopCpu = startCpuMeter(server.pid);
    const noopElapsedMs = await measureNoopWorkflows(temporal, queuePrefix, settings.noopWorkflows, settings.noopConcurrency);
    // Includes the warm-up batch measureNoopWorkflows runs first.
    const noopCpuMs = noopCpu.read();

    console.log('cold start of an inference worker process with every installed model...');
    const workerColdStart = await measureWorkerColdStart({ temporalAddress: server.address, queuePrefix, modelDir: resolve(sourceModelDir, '..'), offload, request });
    return {
      latenciesMs,
      stageMs,
      throughputCompleted: completed,
      throughputFailed: failed,
      throughputElapsedMs: elapsed,
      cpuMs,
      noopElapsedMs,
      noopCpuMs,
      workerColdStart,
      lag: { p99Ms: monitor.percentile(99) / 1e6, maxMs: monitor.max / 1e6 },
      cold,
      history,
    };
  } finally {
    for (const stop of stops) await stop().catch((err: unknown) => console.error(`stopping: ${err instanceof Error ? err.message : err}`));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Starts a worker's run loop; the returned function shuts it down and waits for the loop to end. */
function runInBackground(worker: Worker): () => Promise<void> {
  const running = worker.run();
  running.catch(() => undefined);
  return async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running;
  };
}

function expectCompleted(result: TaskResult): TaskResult {
  if (result.status !== 'completed') throw new Error(`detection through Offload ended ${result.status}: ${result.error ?? 'no error'}`);
  return result;
}

async function runBareLoop(request: BareLoopRequest): Promise<BareLoopReport> {
  const script = join(__dirname, 'bare-yolox-loop.js');
  const { stdout } = await promisify(execFile)(process.execPath, [script, JSON.stringify(request)], { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '') as BareLoopReport;
}

function yoloxSourceDir(): string {
  const cacheDir = process.env.OFFLOAD_CACHE_DIR ?? join(homedir(), '.cache', 'offload');
  const candidates = [join(cacheDir, 'test-models', 'yolox-nano'), join(REPO_ROOT, 'models', 'yolox-nano')];
  const found = candidates.find((dir) => existsSync(join(dir, 'yolox_nano.onnx')) && existsSync(join(dir, 'labels.txt')));
  if (!found) throw new Error(`YOLOX-nano not found in ${candidates.join(' or ')}; run node dist/src/main/setup.js`);
  return found;
}


function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
