import { NativeConnection, Worker, type WorkflowBundle } from '@temporalio/worker';
import { connectWorker } from '../../temporal/connect-worker';
import type { OffloadConfig } from '../config/load-config';
import { workflowQueue } from '../shared/queues';
import { BreakerBoard } from '../telemetry/breaker-board';
import { createBusPublisher } from '../telemetry/bus-publisher';
import { startStatusPublisher } from '../telemetry/bus-telemetry';
import type { Logger } from '../telemetry/logger';
import { createQueueProbe } from '../telemetry/queue-probe';
import { createTaskTelemetry, type TaskTelemetry } from '../telemetry/sinks/task-telemetry';
import { workflowHostingOptions } from '../telemetry/sinks/workflow-modules';
import type { Tracing } from '../telemetry/tracing';
import type { WorkerObservability } from '../telemetry/worker-observability';
import { runUntilSignal } from './run-until-signal';

export interface WorkflowWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  queuePrefix: string;
  /** A prebuilt bundle (tests share one); by default the workflows are bundled from source at start. */
  workflowBundle?: WorkflowBundle;
  /** Workflow tasks run at once (default 40: they are short). */
  maxConcurrentWorkflowTaskExecutions?: number;
  /**
   * Where the workflow telemetry interceptors' reports go (metrics, breakers, robot bus, logs), and
   * tracing. A prebuilt `workflowBundle` must include `workflowInterceptorModules({ tracing })`.
   */
  telemetry?: WorkflowWorkerTelemetry;
}

export interface WorkflowWorkerTelemetry {
  tasks?: TaskTelemetry;
  /** Exports the workflows' spans (started with `startTracing`). */
  tracing?: Tracing;
  /** Temporal worker identity (see `workerIdentity`). */
  identity?: string;
}

/** The worker that runs the (deterministic) workflows on `<prefix>-workflows`; it needs no models. */
export async function createWorkflowWorker(options: WorkflowWorkerOptions): Promise<Worker> {
  const { identity } = options.telemetry ?? {};
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: workflowQueue(options.queuePrefix),
    ...(identity ? { identity } : {}),
    ...workflowHostingOptions({ workflowBundle: options.workflowBundle, tasks: options.telemetry?.tasks, tracing: options.telemetry?.tracing }),
    maxConcurrentWorkflowTaskExecutions: options.maxConcurrentWorkflowTaskExecutions ?? 40,
  });
}

/** What {@link runWorkflowWorker} runs with. */
export interface RunWorkflowWorkerOptions {
  config: OffloadConfig;
  log: Logger;
  /** Started first (see `startWorkerObservability`); closed once the worker has drained. */
  observability: WorkerObservability;
}

/**
 * The workflow worker process: serves `<prefix>-workflows` with the telemetry sinks (metrics,
 * breakers, robot-bus topics) until SIGINT/SIGTERM, then drains and closes everything.
 */
export async function runWorkflowWorker({ config, log, observability }: RunWorkflowWorkerOptions): Promise<void> {
  const connection = await connectWorker(config);
  const { robot, telemetry } = config;
  const breakers = new BreakerBoard({ failureWindowMs: telemetry.breakerWindowMs, openMs: telemetry.breakerOpenMs });
  observability.metrics.setGaugeSources({ breakers: () => breakers.states() });
  const bus = telemetry.busTelemetry ? createBusPublisher({ endpoint: `tcp://${robot.host}:${robot.pubPort}`, curve: robot.curve, log }) : undefined;
  const probe = createQueueProbe({ service: connection.workflowService, namespace: config.namespace, queuePrefix: config.queuePrefix });
  const stopStatus = bus && telemetry.statusIntervalMs > 0 ? startStatusPublisher({ bus, breakers, probe, intervalMs: telemetry.statusIntervalMs, log }) : undefined;
  const worker = await createWorkflowWorker({
    connection,
    namespace: config.namespace,
    queuePrefix: config.queuePrefix,
    telemetry: {
      tasks: createTaskTelemetry({ metrics: observability.metrics, breakers, bus, log }),
      tracing: observability.tracing,
      identity: observability.identity,
    },
  });
  log.info({ taskQueue: workflowQueue(config.queuePrefix), namespace: config.namespace, bus: bus?.endpoint ?? 'off', ...observability.summary }, 'workflow worker polling');
  await runUntilSignal(worker, log, async () => {
    await stopStatus?.();
    await bus?.close();
    await connection.close();
    await observability.close();
  });
}
