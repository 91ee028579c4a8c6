import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
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
import { runClosedLoop, timeSequential, type ClosedLoopRun } from './closed-loop';
import { historyGaps } from './history-gaps';
import { measureNoopWorkflows, type NoopRun } from './noop-workflows';
import { startCpuMeter, type CpuMeter } from './process-cpu';
import { measureWorkerColdStart, type WorkerColdStart } from './worker-cold-start';
import { IMAGE, INTRA_OP_THREADS, yoloxOnlyModelDir, type SideBySideSettings } from './yolox-job';

export interface OffloadRunOptions {
  /**
   * The levers: the Temporal client is built on the workflow worker's NativeConnection (eager
   * workflow start needs that), OffloadClient gets `fastPath: true`, no-op workflows ask for an
   * eager start, model activities send no heartbeat at their start. Off: a separate
   * `Connection.connect` client and a heartbeat at each start, as before.
   */
  fastPath: boolean;
  /** Also time a cold start (in this process, and of an inference worker process with every installed model). */
  measureColdStart: boolean;
}

export interface ColdStartFigures {
  workerProcess: WorkerColdStart;
  inProcess: { modelLoadMs: number; workerCreateMs: number; pickupMs: number; firstResultMs: number; firstTaskMs: number };
}

export interface OffloadFigures {
  latenciesMs: number[];
  stageMs: Record<string, number[]>;
  throughput: ClosedLoopRun;
  /** CPU time used during the throughput run by this process (client + workers) and by the dev server. */
  cpuMs: ReturnType<CpuMeter['read']>;
  noop: NoopRun;
  /** Includes the warm-up batch measureNoopWorkflows runs first. */
  noopCpuMs: ReturnType<CpuMeter['read']>;
  lag: { p99Ms: number; maxMs: number };
  /** Server-side view of the sequential runs (see historyGaps). */
  history: { spanP50Ms: number; gapsP50Ms: Record<string, number> };
  coldStart?: ColdStartFigures;
}

/**
 * YOLOX-nano through Offload end to end (OffloadClient.submit → result) on a fresh dev server and
 * data dir, with the workflow worker and a cpu inference worker in this process; then no-op workflows.
 */
export async function runThroughOffload(sourceModelDir: string, settings: SideBySideSettings, options: OffloadRunOptions): Promise<OffloadFigures> {
  const dataDir = mkdtempSync(join(tmpdir(), 'offload-bench-sbs-'));
  const modelDir = yoloxOnlyModelDir(sourceModelDir, dataDir);
  console.log(`offload (fast path ${options.fastPath ? 'on' : 'off'}): starting dev server and workflow worker...`);
  const server = await startDevServer({ cliPath: await resolveTemporalCli(loadConfig(process.env)), uiPort: false, dbFile: join(dataDir, 'temporal.db'), logLevel: 'error' });
  const stops: Array<() => Promise<void>> = [async () => server.stop()];
  try {
    const native = await NativeConnection.connect({ address: server.address });
    stops.unshift(() => native.close());
    const temporal = new Client({ connection: options.fastPath ? native : await separateConnection(server.address, stops) });
    const queuePrefix = `bench-sbs-${Date.now()}`;
    const workflowWorker = await createWorkflowWorker({ connection: native, namespace: 'default', queuePrefix });
    stops.unshift(runInBackground(workflowWorker));
    const config = loadConfig({});
    const offload = new OffloadClient({ client: temporal, config: { ...config, queuePrefix, fastPath: options.fastPath } });
    const policy: Partial<TaskPolicy> = { route: ['cpu'], queuePrefix, pickupTimeoutMs: 60_000, deadlineMs: 60_000 };
    const request = { task_type: 'vision.detection', payload: { image_base64: readFileSync(IMAGE).toString('base64') } };
    const submit = async (): Promise<TaskResult> => expectCompleted(await offload.submit(request, { policy }));

    // Workflow worker warm (its first run loads the workflow bundle), so a cold start below is the inference worker's.
    await temporal.workflow.execute('doNothing', { taskQueue: workflowQueue(queuePrefix), workflowId: `warm-${queuePrefix}` });

    const waiting = options.measureColdStart ? await offload.submit(request, { wait: false, policy }) : undefined;
    if (waiting) {
      console.log('cold start...');
      await sleep(1000);
    }
    const coldStart = performance.now();
    let pickedUpAt: number | undefined;
    const loaded = await createModelRuntime({ modelDir, hardware: 'cpu', executionProvider: 'cpu', intraOpThreads: INTRA_OP_THREADS });
    stops.unshift(() => loaded.close());
    const modelLoadedAt = performance.now();
    const runtime: ModelRuntime = {
      ...loaded,
      detect: async (image, detectOptions) => {
        pickedUpAt ??= performance.now();
        return loaded.detect(image, detectOptions);
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
      heartbeatAtStart: !options.fastPath,
    });
    const workerCreatedAt = performance.now();
    stops.unshift(runInBackground(inferenceWorker));
    let inProcess: ColdStartFigures['inProcess'] | undefined;
    if (waiting) {
      expectCompleted(await offload.result(waiting.task_id));
      const firstResultAt = performance.now();
      if (pickedUpAt === undefined) throw new Error('the first detection completed without reaching the runtime');
      inProcess = {
        modelLoadMs: modelLoadedAt - coldStart,
        workerCreateMs: workerCreatedAt - modelLoadedAt,
        pickupMs: pickedUpAt - coldStart,
        firstResultMs: firstResultAt - coldStart,
        firstTaskMs: firstResultAt - pickedUpAt,
      };
    }

    console.log(`offload: ${settings.latencyRuns} sequential submits...`);
    for (let run = 0; run < settings.warmupRuns; run++) await submit();
    const stageMs: Record<string, number[]> = {};
    const taskIds: string[] = [];
    const latenciesMs = await timeSequential(settings.latencyRuns, async () => {
      const result = await submit();
      taskIds.push(result.task_id);
      for (const [name, value] of Object.entries(result.meta.timings ?? {})) (stageMs[name] ??= []).push(value);
    });
    const history = await historyGaps(temporal, taskIds.slice(-20));

    console.log(`offload: ${settings.throughputMs / 1000} s at concurrency ${settings.concurrency}...`);
    const monitor = monitorEventLoopDelay({ resolution: 1 });
    monitor.enable();
    const throughputCpu = startCpuMeter(server.pid);
    const throughput = await runClosedLoop(settings.concurrency, settings.throughputMs, async () => (await offload.submit(request, { policy })).status === 'completed');
    monitor.disable();
    const cpuMs = throughputCpu.read();

    console.log(`no-op workflows: ${settings.noopWorkflows} with ${settings.noopConcurrency} in flight...`);
    const noopCpu = startCpuMeter(server.pid);
    const noop = await measureNoopWorkflows(temporal, queuePrefix, settings.noopWorkflows, settings.noopConcurrency, { requestEagerStart: options.fastPath });
    const noopCpuMs = noopCpu.read();

    let coldStartFigures: ColdStartFigures | undefined;
    if (inProcess) {
      console.log('cold start of an inference worker process with every installed model...');
      const workerProcess = await measureWorkerColdStart({ temporalAddress: server.address, queuePrefix, modelDir: resolve(sourceModelDir, '..'), offload, request });
      coldStartFigures = { workerProcess, inProcess };
    }
    return {
      latenciesMs,
      stageMs,
      throughput,
      cpuMs,
      noop,
      noopCpuMs,
      lag: { p99Ms: monitor.percentile(99) / 1e6, maxMs: monitor.max / 1e6 },
      history,
      coldStart: coldStartFigures,
    };
  } finally {
    for (const stop of stops) await stop().catch((err: unknown) => console.error(`stopping: ${err instanceof Error ? err.message : err}`));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** A gRPC connection of its own (not the worker's), closed with the other stops. */
async function separateConnection(address: string, stops: Array<() => Promise<void>>): Promise<Connection> {
  const connection = await Connection.connect({ address });
  stops.unshift(() => connection.close());
  return connection;
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

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
