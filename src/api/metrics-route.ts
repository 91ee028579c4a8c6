import type { FastifyInstance } from 'fastify';
import { metricsRegistry } from '../telemetry/metrics';

export function registerMetricsRoute(app: FastifyInstance): void {
  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', metricsRegistry.contentType);
    return metricsRegistry.metrics();
  });
}
