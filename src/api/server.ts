import Fastify, { type FastifyInstance } from 'fastify';
import { connectClient } from '../client/connect-client';
import type { OffloadClient } from '../client/offload-client';
import { loadConfig } from '../config/load-config';
import { clientTelemetryInterceptors } from '../workers/interceptors/client-telemetry';
import { createApiTelemetry, type ApiTelemetry } from '../telemetry/api-telemetry';
import { createLogger } from '../telemetry/logger';
import { createMetricsRegistry } from '../telemetry/metrics';
import { createOffloadMetrics } from '../telemetry/offload-metrics';
import { createQueueProbe } from '../telemetry/queue-probe';
import { startTracing, tracingEnabled } from '../telemetry/tracing';
import { registerHealthRoutes } from './health-routes';
import { registerMetricsRoute } from './metrics-route';
import { registerProviderRoutes, robotCapabilities, type ProviderRouteDeps } from './provider-routes';
import { registerTaskRoutes } from './task-routes';
import { createLiveWorkerProbe, type LiveWorkerProbe } from './live-workers';

export interface ApiServerOptions {
  offload: OffloadClient;
  /** Live workers, for /readyz. */
  probe: LiveWorkerProbe;
  /** Largest request body accepted, in bytes (base64 makes payloads a third larger). */
  bodyLimit: number;
  /** Serves /metrics (the API's series plus the workers'). */
  telemetry: ApiTelemetry;
  /** Capabilities for the robot's `/providers/*` endpoints (no such routes without it). */
  providers?: ProviderRouteDeps['capabilities'];
}

/** The HTTP API on 8000: tasks, health, readiness and metrics. */
export function createApiServer(options: ApiServerOptions): FastifyInstance {
  const app = Fastify({ bodyLimit: options.bodyLimit, logger: false });
  registerHealthRoutes(app, options.probe);
  registerTaskRoutes(app, options.offload);
  registerMetricsRoute(app, options.telemetry);
  if (options.providers) registerProviderRoutes(app, { offload: options.offload, capabilities: options.providers });
  return app;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger('api', config.logLevel, { logPayloads: config.telemetry.logPayloads });
  const tracing = tracingEnabled(config.telemetry.tracing) ? startTracing({ serviceName: 'offload-api' }) : undefined;
  const metrics = createOffloadMetrics(createMetricsRegistry());
  const { offload, connection } = await connectClient(config, { interceptors: clientTelemetryInterceptors({ metrics, tracing: tracing !== undefined }) });
  const liveWorkers = createLiveWorkerProbe(offload.temporal, config.queuePrefix);
  const telemetry = createApiTelemetry({
    metrics,
    probe: createQueueProbe({ service: connection.workflowService, namespace: config.namespace, queuePrefix: config.queuePrefix }),
    liveWorkers: () => liveWorkers.liveWorkers(),
  });
  const app = createApiServer({ offload, probe: liveWorkers, telemetry, providers: robotCapabilities(offload.temporal, config), bodyLimit: Math.ceil(config.maxPayloadBytes * 1.4) + 64 * 1024 });
  await app.listen({ host: config.apiHost, port: config.apiPort });
  log.info({ url: `http://${config.apiHost}:${config.apiPort}` }, 'API listening');
  const stop = async (signal: NodeJS.Signals) => {
    log.info({ signal }, 'stopping');
    await app.close();
    await connection.close();
    await tracing?.shutdown();
    process.exit(0);
  };
  process.once('SIGTERM', (s) => void stop(s));
  process.once('SIGINT', (s) => void stop(s));
}

if (require.main === module) {
  main().catch((err) => {
    console.error(`API failed: ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  });
}
