import { NativeConnection, Worker } from '@temporalio/worker';
import { connectWorker } from '../../temporal/connect-worker';
import { robotCapabilities } from '../bridge/capabilities';
import { connectClient } from '../client/connect-client';
import { createLiveWorkerProbe } from '../client/live-workers';
import type { OffloadConfig } from '../config/load-config';
import { createApiTelemetry } from '../telemetry/api-telemetry';
import { clientTelemetryInterceptors } from '../telemetry/client/client-telemetry';
import type { Logger } from '../telemetry/logger';
import { createMetricsRegistry } from '../telemetry/metrics';
import { createOffloadMetrics, type OffloadMetrics } from '../telemetry/offload-metrics';
import { hostedRunTelemetry } from '../telemetry/sinks/hosted-run-telemetry';
import { workflowHostingOptions } from '../telemetry/sinks/workflow-modules';
import { workflowQueue } from '../shared/queues';
import { createQueueProbe } from '../telemetry/queue-probe';
import type { Tracing } from '../telemetry/tracing';
import { createApiServer } from './server';

/** What {@link startApi} runs with. */
export interface StartApiOptions {
  config: OffloadConfig;
  log: Logger;
  /** Set when tracing is on; shut down by `stop`. */
  tracing?: Tracing;
}

/** The HTTP API process: connects to Temporal and listens on OFFLOAD_API_HOST:OFFLOAD_API_PORT. */
export async function startApi({ config, log, tracing }: StartApiOptions): Promise<{ stop(signal: NodeJS.Signals): Promise<void> }> {
  const metrics = createOffloadMetrics(createMetricsRegistry());
  const host = config.fastPath ? await hostRuns(config, log, metrics, tracing) : undefined;
  const { offload, close: closeClient } = await connectClient(config, { interceptors: clientTelemetryInterceptors({ metrics, tracing: tracing !== undefined }), workerConnection: host?.connection });
  const liveWorkers = createLiveWorkerProbe(offload.temporal, config.queuePrefix);
  const telemetry = createApiTelemetry({
    metrics,
    probe: createQueueProbe({ service: offload.temporal.workflowService, namespace: config.namespace, queuePrefix: config.queuePrefix }),
    liveWorkers: () => liveWorkers.liveWorkers(),
  });
  const app = createApiServer({ offload, probe: liveWorkers, telemetry, providers: robotCapabilities(offload.temporal, config), bodyLimit: Math.ceil(config.maxPayloadBytes * 1.4) + 64 * 1024 });
  await app.listen({ host: config.apiHost, port: config.apiPort });
  log.info({ url: `http://${config.apiHost}:${config.apiPort}` }, 'API listening');
  return {
    async stop(signal) {
      log.info({ signal }, 'stopping');
      await app.close();
      await host?.stop();
      await closeClient();
      await tracing?.shutdown();
    },
  };
}

/**
 * The fast path: the API runs workflow tasks of the shared workflow queue too, so the runs it starts
 * take their first workflow task here, with the start (eager start); any workflow worker takes the rest.
 * The worker (its bundle takes seconds) starts behind the listening API: until then starts are not eager.
 */
async function hostRuns(config: OffloadConfig, log: Logger, metrics: OffloadMetrics, tracing?: Tracing): Promise<{ connection: NativeConnection; stop(): Promise<void> }> {
  const connection = await connectWorker(config);
  const telemetry = hostedRunTelemetry(config, log, metrics, tracing);
  const worker = Worker.create({
    connection,
    namespace: config.namespace,
    taskQueue: workflowQueue(config.queuePrefix),
    ...workflowHostingOptions(telemetry.hosting),
    maxConcurrentWorkflowTaskExecutions: 20,
  });
  const running = worker.then((w) => w.run());
  running.catch((err: unknown) => log.error({ err: err instanceof Error ? err.message : String(err) }, "the API's workflow worker failed: runs it starts go to the workflow workers"));
  return {
    connection,
    async stop() {
      const w = await worker.catch(() => undefined);
      if (w?.getState() === 'RUNNING') w.shutdown();
      await running.catch(() => undefined);
      await telemetry.close();
      await connection.close();
    },
  };
}
