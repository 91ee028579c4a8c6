import type { FastifyInstance } from 'fastify';
import type { WorkerProbe } from './worker-probe';

export function registerHealthRoutes(app: FastifyInstance, probe: WorkerProbe): void {
  app.get('/healthz', async () => ({ status: 'ok' }));

  /** Ready when Temporal answers, a workflow worker polls and at least one inference worker polls. */
  app.get('/readyz', async (_request, reply) => {
    if (!(await probe.temporalReachable())) {
      return reply.code(503).send({ ready: false, reason: 'Temporal server unreachable' });
    }
    const workers = await probe.workers();
    const inference = Object.values(workers.inference).reduce((a, b) => a + b, 0);
    const reason = workers.workflows === 0 ? 'no workflow worker polling' : inference === 0 ? 'no inference worker polling' : undefined;
    return reply.code(reason ? 503 : 200).send({ ready: !reason, ...(reason ? { reason } : {}), workers });
  });
}
