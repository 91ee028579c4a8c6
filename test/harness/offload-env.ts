import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, type Logger, type Worker, type WorkflowBundle } from '@temporalio/worker';
import { OffloadClient } from '../../src/client/offload-client';
import { loadConfig, type OffloadConfig } from '../../src/config/load-config';
import type { ModelRuntime } from '../../src/models';
import type { Hardware } from '../../src/shared/task-types';
import { workflowInterceptorModules } from '../../src/telemetry/sinks/workflow-modules';
import { createInferenceWorker } from '../../src/workers/inference-worker';
import { createWorkflowWorker } from '../../src/workers/workflow-worker';
import { testDeadlines } from './test-deadlines';
import { testRuntime } from './test-runtime';
import { directoryAudioStore } from '../../src/voice/audio-store';

// The SDK core's own log lines (e.g. a call retried while a fault test has the server down) go
// through the same ERROR-level logger instead of straight to the console.
Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { forward: {} } } });

let bundle: Promise<WorkflowBundle> | undefined;

/** The workflow bundle, built once per test file. */
export function workflowBundle(): Promise<WorkflowBundle> {
  bundle ??= bundleWorkflowCode({
    workflowsPath: require.resolve('../../src/workflows'),
    workflowInterceptorModules: workflowInterceptorModules(),
    logger: quietLogger,
  });
  return bundle;
}

const quietLogger: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} };

interface RunningWorker {
  worker: Worker;
  done: Promise<void>;
}

export interface InferenceWorkerSettings {
  slots?: number;
  runtime?: ModelRuntime;
}

/** A workflow worker, inference workers on chosen hardware and a client, on their own task queues. */
export class OffloadTestEnv {
  readonly workers = new Map<string, RunningWorker>();

  private constructor(
    readonly config: OffloadConfig,
    readonly connection: Connection,
    readonly nativeConnection: NativeConnection,
    readonly client: Client,
    readonly offload: OffloadClient,
  ) {}

  /**
   * `address`: a Temporal frontend of the test's own (default: the jest run's dev server). Every task
   * type gets TEST_DEADLINE_MS unless `env.OFFLOAD_DEADLINES_MS` names it.
   */
  static async start(options: { hardware?: Hardware[]; slots?: number; env?: Record<string, string>; address?: string } = {}): Promise<OffloadTestEnv> {
    const address = options.address ?? process.env.OFFLOAD_TEST_TEMPORAL_ADDRESS;
    if (!address) throw new Error('OFFLOAD_TEST_TEMPORAL_ADDRESS is not set: run the tests through jest (global setup starts Temporal)');
    const config = loadConfig({
      TEMPORAL_ADDRESS: address,
      OFFLOAD_TASK_QUEUE_PREFIX: `test-${randomBytes(4).toString('hex')}`,
      OFFLOAD_MODEL_DIR: process.env.OFFLOAD_TEST_MODEL_DIR,
      OFFLOAD_VOICE_AUDIO_DIR: path.join(tmpdir(), 'offload-test-voice-audio'),
      ...options.env,
      OFFLOAD_DEADLINES_MS: testDeadlines(options.env?.OFFLOAD_DEADLINES_MS),
    });
    const connection = await Connection.connect({ address });
    const nativeConnection = await NativeConnection.connect({ address });
    const client = new Client({ connection, namespace: config.namespace });
    const env = new OffloadTestEnv(config, connection, nativeConnection, client, new OffloadClient({ client, config }));
    await env.startWorkflowWorker();
    for (const hardware of options.hardware ?? ['cpu']) await env.startInferenceWorker(hardware, { slots: options.slots });
    return env;
  }

  async startWorkflowWorker(): Promise<void> {
    const worker = await createWorkflowWorker({
      connection: this.nativeConnection,
      namespace: this.config.namespace,
      queuePrefix: this.config.queuePrefix,
      workflowBundle: await workflowBundle(),
    });
    this.track('workflows', worker);
  }

  async startInferenceWorker(hardware: Hardware, settings: InferenceWorkerSettings = {}): Promise<void> {
    const worker = await createInferenceWorker({
      connection: this.nativeConnection,
      namespace: this.config.namespace,
      queuePrefix: this.config.queuePrefix,
      hardware,
      runtime: settings.runtime ?? (await testRuntime(hardware)),
      slots: settings.slots ?? this.config.workerSlots,
      maxPayloadBytes: this.config.maxPayloadBytes,
      audioStore: directoryAudioStore(this.config.voice.audioDir),
      shutdownGraceTime: '5s',
    });
    this.track(hardware, worker);
  }

  async stopWorker(name: string): Promise<void> {
    const running = this.workers.get(name);
    if (!running) return;
    this.workers.delete(name);
    running.worker.shutdown();
    await running.done;
  }

  async close(): Promise<void> {
    for (const name of [...this.workers.keys()]) await this.stopWorker(name);
    await this.nativeConnection.close();
    await this.connection.close();
  }

  private track(name: string, worker: Worker): void {
    const done = worker.run().catch((err: unknown) => {
      console.error(`test worker ${name} failed`, err);
    });
    this.workers.set(name, { worker, done });
  }
}
