import Fastify, { type FastifyInstance } from 'fastify';
import type { LiveWorkerProbe } from '../client/live-workers';
import type { OffloadClient } from '../client/offload-client';
import type { ApiTelemetry } from '../telemetry/api-telemetry';
import { registerHealthRoutes } from './health-routes';
import { registerMetricsRoute } from './metrics-route';
import { registerProviderRoutes, type ProviderRouteDeps } from './provider-routes';
import { registerTaskRoutes } from './task-routes';

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
