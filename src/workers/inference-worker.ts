import type { Duration } from '@temporalio/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import { connectWorker } from '../../temporal/connect-worker';
import { createInferenceActivities } from '../activities';
import { HEARTBEAT_INTERVAL_MS } from '../activities/heartbeat';
import type { OffloadConfig } from '../config/load-config';
import { createModelRuntime, type ExecutionProvider, type ModelRuntime } from '../models';
import { inferenceQueue } from '../shared/queues';
import { HARDWARE_CLASSES, type Hardware } from '../shared/task-types';
import { activityTelemetryInterceptors } from '../telemetry/activity/activity-telemetry';
import { activityTracingInterceptors } from '../telemetry/activity/activity-tracing';
import { traceModelRuntime } from '../telemetry/activity/traced-model-runtime';
import type { Logger } from '../telemetry/logger';
import type { OffloadMetrics } from '../telemetry/offload-metrics';
import type { WorkerObservability } from '../telemetry/worker-observability';
import { directoryAudioStore, type AudioStore } from '../voice/audio-store';
import { runUntilSignal } from './run-until-signal';

export interface InferenceWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  queuePrefix: string;
  /** The hardware class this process serves; it polls `<prefix>-<hardware>`. */
  hardware: Hardware;
  runtime: ModelRuntime;
  /** Inference tasks run at once; more wait in the queue in priority order. */
  slots: number;
  maxPayloadBytes: number;
  /** Voice-session audio: utterances to transcribe, replies synthesized. */
  audioStore?: AudioStore;
  /** Heartbeat as soon as a model activity starts (the path before OFFLOAD_FAST_PATH). */
  heartbeatAtStart?: boolean;
  /** How long in-flight tasks may finish after SIGTERM before they are cancelled (default 30 s). */
  shutdownGraceTime?: Duration;
  /** Provider/LLM/cache metrics and logs per activity (activity interceptors), and tracing. */
  telemetry?: InferenceWorkerTelemetry;
}

export interface InferenceWorkerTelemetry {
  metrics?: OffloadMetrics;
  log?: Logger;
  /** Log payloads and results too (debugging only). */
  logPayloads?: boolean;
  /** Spans for activities and model runs (start `startTracing` first). */
  tracing?: boolean;
  /** Temporal worker identity (see `workerIdentity`). */
  identity?: string;
}

/** A worker that runs model activities for one hardware class. */
export async function createInferenceWorker(options: InferenceWorkerOptions): Promise<Worker> {
  const { metrics, log, logPayloads, tracing, identity } = options.telemetry ?? {};
  const runtime = tracing ? traceModelRuntime(options.runtime) : options.runtime;
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: inferenceQueue(options.queuePrefix, options.hardware),
    ...(identity ? { identity } : {}),
    interceptors: {
      activity: [
        ...(tracing ? [activityTracingInterceptors()] : []),
        ...(metrics && log ? [activityTelemetryInterceptors({ metrics, log, hardware: options.hardware, logPayloads })] : []),
      ],
    },
    activities: createInferenceActivities({ runtime, maxPayloadBytes: options.maxPayloadBytes, audioStore: options.audioStore, heartbeatAtStart: options.heartbeatAtStart }),
    maxConcurrentActivityTaskExecutions: options.slots,
    // The SDK would send only one heartbeat per 80 % of the heartbeat timeout: the server then sees
    // every one (up to one a second), and a busy moment has several heartbeats of slack, not a fifth.
    maxHeartbeatThrottleInterval: HEARTBEAT_INTERVAL_MS,
    shutdownGraceTime: options.shutdownGraceTime ?? '30s',
  });
}

/** `auto` asks for CUDA on the gpu queue and the CPU provider on the cpu queue. */
export function requestedProvider(config: Pick<OffloadConfig, 'executionProvider'>, hardware: Hardware): ExecutionProvider {
  if (config.executionProvider !== 'auto') return config.executionProvider;
  return hardware === 'gpu' ? 'cuda' : 'cpu';
}

export function parseHardwareArg(argv: string[], fallback: Hardware): Hardware {
  const index = argv.indexOf('--hardware');
  const value = index >= 0 ? argv[index + 1] : argv.find((a) => a.startsWith('--hardware='))?.split('=')[1];
  if (value === undefined) return fallback;
  if (!(HARDWARE_CLASSES as readonly string[]).includes(value)) {
    throw new Error(`--hardware must be one of ${HARDWARE_CLASSES.join(', ')}, got "${value}"`);
  }
  return value as Hardware;
}

/** What {@link runInferenceWorker} runs with. */
export interface RunInferenceWorkerOptions {
  config: OffloadConfig;
  /** The hardware class served (`--hardware`, else OFFLOAD_HARDWARE). */
  hardware: Hardware;
  log: Logger;
  /** Started first (see `startWorkerObservability`); closed once the worker has drained. */
  observability: WorkerObservability;
}

/**
 * The inference worker process: loads the models (polling once the first is warm), serves
 * `<prefix>-<hardware>` until SIGINT/SIGTERM, drains, and releases the models and the connection.
 */
export async function runInferenceWorker({ config, hardware, log, observability }: RunInferenceWorkerOptions): Promise<void> {
  const asked = requestedProvider(config, hardware);
  // Model lines wait until the execution-provider line is out, which must come first.
  const startup: Array<{ message: string; fields?: Record<string, unknown> }> = [];
  let modelLog: (message: string, fields?: Record<string, unknown>) => void = (message, fields) => startup.push({ message, fields });
  // Connecting to Temporal goes on while the models load.
  const connecting = connectWorker(config);
  connecting.catch(() => undefined);
  const runtime = await createModelRuntime({
    modelDir: config.modelDir,
    hardware,
    executionProvider: asked,
    intraOpThreads: config.intraOpThreads,
    intentsFile: config.intentsFile,
    language: config.robot.language,
    textGeneration: config.textGeneration,
    serveWhileLoading: config.serveWhileLoading,
    log: (message, fields) => modelLog(message, fields),
  });
  const taskQueue = inferenceQueue(config.queuePrefix, hardware);
  const provider = runtime.executionProvider;
  log.info(
    { hardware, taskQueue, executionProvider: provider, requestedProvider: asked },
    provider === asked
      ? `${hardware} worker using the ${provider.toUpperCase()} execution provider`
      : `${hardware} worker using the ${provider.toUpperCase()} execution provider: ${asked.toUpperCase()} is not available on this machine`,
  );
  for (const { message, fields } of startup) log.info(fields ?? {}, message);
  modelLog = (message, fields) => (fields?.error === undefined ? log.info(fields ?? {}, message) : log.warn(fields, message));
  const reportLoaded = () => log.info({ models: runtime.installed().map((m) => m.id) }, 'models loaded and warm');
  void (runtime.allLoaded ?? Promise.resolve()).then(reportLoaded);
  const connection = await connecting;
  const worker = await createInferenceWorker({
    connection,
    namespace: config.namespace,
    queuePrefix: config.queuePrefix,
    hardware,
    runtime,
    slots: config.workerSlots,
    maxPayloadBytes: config.maxPayloadBytes,
    heartbeatAtStart: !config.fastPath,
    audioStore: directoryAudioStore(config.voice.audioDir),
    telemetry: {
      metrics: observability.metrics,
      log,
      logPayloads: config.telemetry.logPayloads,
      tracing: observability.tracing !== undefined,
      identity: observability.identity,
    },
  });
  observability.metrics.providerInitialized.set({ provider: hardware }, 1);
  log.info({ taskQueue, slots: config.workerSlots, ...observability.summary }, 'polling');
  await runUntilSignal(worker, log, async () => {
    observability.metrics.providerInitialized.set({ provider: hardware }, 0);
    await runtime.close();
    await connection.close();
    await observability.close();
  });
}
