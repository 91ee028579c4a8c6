import type { FastifyInstance } from 'fastify';
import type { ApiTelemetry } from '../telemetry/api-telemetry';

/**
 * `GET /metrics`: the API's series plus every worker's application series added up (one page with all of
 * Offload, as the old PC had). `GET /metrics?aggregate=false`: the API's own series only, for a
 * Prometheus that scrapes each worker itself. Also counts malformed task requests.
 */
export function registerMetricsRoute(app: FastifyInstance, telemetry: ApiTelemetry): void {
  app.get('/metrics', async (request, reply) => {
    const aggregate = (request.query as Record<string, string>).aggregate !== 'false';
    reply.header('content-type', telemetry.contentType);
    return aggregate ? telemetry.aggregated() : telemetry.local();
  });
  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode === 400 && request.method === 'POST' && request.routeOptions.url === '/v1/tasks') {
      telemetry.metrics.recordMalformedMessage('http', '/v1/tasks');
    }
  });
}
