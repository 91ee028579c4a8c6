import { NativeConnection, Worker, type WorkflowBundle } from '@temporalio/worker';
import { loadConfig } from '../config/load-config';
import { workflowQueue } from '../shared/queues';
import { createLogger } from '../telemetry/logger';
import { connectWorker } from './connect-worker';
import { installRuntime } from './install-runtime';
import { runUntilSignal } from './run-until-signal';

export interface WorkflowWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  queuePrefix: string;
  /** A prebuilt bundle (tests share one); by default the workflows are bundled from source at start. */
  workflowBundle?: WorkflowBundle;
  /** Workflow tasks run at once (default 40: they are short). */
  maxConcurrentWorkflowTaskExecutions?: number;
}

/** The worker that runs the (deterministic) workflows on `<prefix>-workflows`; it needs no models. */
export async function createWorkflowWorker(options: WorkflowWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: workflowQueue(options.queuePrefix),
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath: require.resolve('../workflows') }),
    maxConcurrentWorkflowTaskExecutions: options.maxConcurrentWorkflowTaskExecutions ?? 40,
    maxCachedWorkflows: 500,
  });
}

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger('workflow-worker', config.logLevel);
  installRuntime(log);
  const connection = await connectWorker(config);
  const worker = await createWorkflowWorker({ connection, namespace: config.namespace, queuePrefix: config.queuePrefix });
  log.info({ taskQueue: workflowQueue(config.queuePrefix), namespace: config.namespace }, 'workflow worker polling');
  await runUntilSignal(worker, log, () => connection.close());
}

if (require.main === module) {
  main().catch((err) => {
    console.error(`workflow worker failed: ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  });
}
