import type { FastifyInstance } from 'fastify';
import type { LiveWorkerProbe } from '../client/live-workers';

export function registerHealthRoutes(app: FastifyInstance, probe: LiveWorkerProbe): void {
  app.get('/healthz', async () => ({ status: 'ok' }));

  /** Ready when Temporal answers, a workflow worker is alive and at least one inference worker is (worker heartbeats). */
  app.get('/readyz', async (_request, reply) => {
    if (!(await probe.temporalReachable())) {
      return reply.code(503).send({ ready: false, reason: 'Temporal server unreachable' });
    }
    const workers = await probe.workers();
    const inference = Object.values(workers.inference).reduce((a, b) => a + b, 0);
    const reason = workers.workflows === 0 ? 'no workflow worker alive' : inference === 0 ? 'no inference worker alive' : undefined;
    return reply.code(reason ? 503 : 200).send({ ready: !reason, ...(reason ? { reason } : {}), workers });
  });
}
