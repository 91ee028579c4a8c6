import Fastify, { type FastifyInstance } from 'fastify';
import { connectClient } from '../client/connect-client';
import type { OffloadClient } from '../client/offload-client';
import { loadConfig } from '../config/load-config';
import { createLogger } from '../telemetry/logger';
import { registerHealthRoutes } from './health-routes';
import { registerMetricsRoute } from './metrics-route';
import { registerTaskRoutes } from './task-routes';
import { createWorkerProbe, type WorkerProbe } from './worker-probe';

export interface ApiServerOptions {
  offload: OffloadClient;
  probe: WorkerProbe;
  /** Largest request body accepted, in bytes (base64 makes payloads a third larger). */
  bodyLimit: number;
}

/** The HTTP API on 8000: tasks, health, readiness and metrics. */
export function createApiServer(options: ApiServerOptions): FastifyInstance {
  const app = Fastify({ bodyLimit: options.bodyLimit, logger: false });
  registerHealthRoutes(app, options.probe);
  registerTaskRoutes(app, options.offload);
  registerMetricsRoute(app);
  return app;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger('api', config.logLevel);
  const { offload, connection } = await connectClient(config);
  const probe = createWorkerProbe(offload.temporal, config.queuePrefix);
  const app = createApiServer({ offload, probe, bodyLimit: Math.ceil(config.maxPayloadBytes * 1.4) + 64 * 1024 });
  await app.listen({ host: config.apiHost, port: config.apiPort });
  log.info({ url: `http://${config.apiHost}:${config.apiPort}` }, 'API listening');
  const stop = async (signal: NodeJS.Signals) => {
    log.info({ signal }, 'stopping');
    await app.close();
    await connection.close();
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
