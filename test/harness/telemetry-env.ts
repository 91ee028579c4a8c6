import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { WorkflowInfo } from '@temporalio/workflow';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker, type WorkflowBundle } from '@temporalio/worker';
import { OffloadClient } from '../../src/client/offload-client';
import { loadConfig, type OffloadConfig } from '../../src/config/load-config';
import type { ModelRuntime } from '../../src/models';
import type { Hardware } from '../../src/shared/task-types';
import { BreakerBoard } from '../../src/telemetry/breaker-board';
import { clientTelemetryInterceptors } from '../../src/telemetry/client/client-telemetry';
import { createLogger, type Logger } from '../../src/telemetry/logger';
import { createMetricsRegistry } from '../../src/telemetry/metrics';
import { createOffloadMetrics, type OffloadMetrics } from '../../src/telemetry/offload-metrics';
import { createTaskTelemetry, type TaskTelemetry } from '../../src/telemetry/sinks/task-telemetry';
import type { Tracing } from '../../src/telemetry/tracing';
import type { StepReport, TaskReport } from '../../src/telemetry/workflow/telemetry-sinks';
import { createInferenceWorker } from '../../src/workers/inference-worker';
import { createWorkflowWorker } from '../../src/workers/workflow-worker';
import { workflowBundle } from './offload-env';
import { testDeadlines } from './test-deadlines';

/** Keeps every report the workflow interceptors send, and passes them on to the real handler. */
export class RecordingTaskTelemetry implements TaskTelemetry {
  readonly steps: Array<{ info: WorkflowInfo; step: StepReport }> = [];
  readonly tasks: Array<{ info: WorkflowInfo; task: TaskReport }> = [];
  constructor(private readonly next: TaskTelemetry) {}
  stepFinished(info: WorkflowInfo, step: StepReport): void {
    this.steps.push({ info, step });
    this.next.stepFinished(info, step);
  }
  taskFinished(info: WorkflowInfo, task: TaskReport): void {
    this.tasks.push({ info, task });
    this.next.taskFinished(info, task);
  }
}

/** A pino logger whose JSON lines are kept in memory. */
export function memoryLogger(name: string, logPayloads = false): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { log: createLogger(name, 'debug', { logPayloads, destination }), lines };
}

export interface TelemetryEnvOptions {
  /** Inference workers to run, each with its runtime. */
  runtimes: Partial<Record<Hardware, ModelRuntime>>;
  tracing?: Tracing;
  /** A bundle with the right interceptor modules (default: the harness's, without OpenTelemetry). */
  bundle?: WorkflowBundle;
  /** More configuration (OFFLOAD_ROUTES, robot bus...); OFFLOAD_DEADLINES_MS names the task types not given TEST_DEADLINE_MS. */
  env?: Record<string, string>;
}

/** Workflow and inference workers with Offload's telemetry wired as in production, in this process. */
export class TelemetryTestEnv {
  readonly metrics: OffloadMetrics = createOffloadMetrics(createMetricsRegistry({ processMetrics: false }));
  readonly breakers = new BreakerBoard();
  readonly logs = memoryLogger('telemetry-test');
  readonly recorder: RecordingTaskTelemetry;
  private readonly running: Array<{ worker: Worker; done: Promise<void> }> = [];

  private constructor(
    readonly config: OffloadConfig,
    readonly connection: Connection,
    readonly nativeConnection: NativeConnection,
    readonly client: Client,
    readonly offload: OffloadClient,
  ) {
    this.recorder = new RecordingTaskTelemetry(createTaskTelemetry({ metrics: this.metrics, breakers: this.breakers, log: this.logs.log }));
  }

  static async start(options: TelemetryEnvOptions): Promise<TelemetryTestEnv> {
    const address = process.env.OFFLOAD_TEST_TEMPORAL_ADDRESS;
    if (!address) throw new Error('OFFLOAD_TEST_TEMPORAL_ADDRESS is not set: run the tests through jest');
    const config = loadConfig({
      TEMPORAL_ADDRESS: address,
      OFFLOAD_TASK_QUEUE_PREFIX: `tt-${randomBytes(4).toString('hex')}`,
      ...options.env,
      OFFLOAD_DEADLINES_MS: testDeadlines(options.env?.OFFLOAD_DEADLINES_MS),
    });
    const connection = await Connection.connect({ address });
    const nativeConnection = await NativeConnection.connect({ address });
    const client = new Client({
      connection,
      namespace: config.namespace,
      interceptors: { workflow: clientTelemetryInterceptors({ metrics: undefined, tracing: options.tracing !== undefined }) },
    });
    const env = new TelemetryTestEnv(config, connection, nativeConnection, client, new OffloadClient({ client, config }));
    const workflows = await createWorkflowWorker({
      connection: nativeConnection,
      namespace: config.namespace,
      queuePrefix: config.queuePrefix,
      workflowBundle: options.bundle ?? (await workflowBundle()),
      telemetry: { tasks: env.recorder, tracing: options.tracing },
    });
    env.track(workflows);
    for (const [hardware, runtime] of Object.entries(options.runtimes) as Array<[Hardware, ModelRuntime]>) {
      const worker = await createInferenceWorker({
        connection: nativeConnection,
        namespace: config.namespace,
        queuePrefix: config.queuePrefix,
        hardware,
        runtime,
        slots: 2,
        maxPayloadBytes: config.maxPayloadBytes,
        shutdownGraceTime: '2s',
        telemetry: { metrics: env.metrics, log: env.logs.log, tracing: options.tracing !== undefined },
      });
      env.track(worker);
    }
    return env;
  }

  async close(): Promise<void> {
    for (const { worker, done } of this.running.reverse()) {
      worker.shutdown();
      await done;
    }
    await this.nativeConnection.close();
    await this.connection.close();
  }

  private track(worker: Worker): void {
    this.running.push({ worker, done: worker.run().catch((err: unknown) => console.error('test worker failed', err)) });
  }
}
