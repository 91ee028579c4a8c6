import { robotCapabilities } from '../bridge/capabilities';
import { connectClient } from '../client/connect-client';
import { createLiveWorkerProbe } from '../client/live-workers';
import type { OffloadConfig } from '../config/load-config';
import { createApiTelemetry } from '../telemetry/api-telemetry';
import { clientTelemetryInterceptors } from '../telemetry/client/client-telemetry';
import type { Logger } from '../telemetry/logger';
import { createMetricsRegistry } from '../telemetry/metrics';
import { createOffloadMetrics } from '../telemetry/offload-metrics';
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
  const { offload, close: closeClient } = await connectClient(config, { interceptors: clientTelemetryInterceptors({ metrics, tracing: tracing !== undefined }) });
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
      await closeClient();
      await tracing?.shutdown();
    },
  };
}
