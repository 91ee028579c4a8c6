import type { FastifyInstance, FastifyReply } from 'fastify';
import type { OffloadClient } from '../client/offload-client';
import { InvalidTaskError } from '../shared/errors';

/** POST /v1/tasks submits a TaskEnvelope (`?wait=false` returns at once); GET reads results and lists runs. */
export function registerTaskRoutes(app: FastifyInstance, offload: OffloadClient): void {
  app.post('/v1/tasks', async (request, reply) => {
    const wait = (request.query as Record<string, string>).wait !== 'false';
    try {
      const result = await offload.submit(request.body, { wait });
      return reply.code(wait ? 200 : 202).send(result);
    } catch (err) {
      return sendError(reply, err);
    }
  });

  app.get('/v1/tasks/:taskId', async (request, reply) => {
    const { taskId } = request.params as { taskId: string };
    const wait = (request.query as Record<string, string>).wait === 'true';
    try {
      return await (wait ? offload.result(taskId) : offload.status(taskId));
    } catch (err) {
      return sendError(reply, err);
    }
  });

  app.get('/v1/tasks', async (request, reply) => {
    const q = request.query as Record<string, string>;
    try {
      return await offload.list({ failed: q.failed === 'true', taskType: q.type, robot: q.robot, limit: q.limit ? Number(q.limit) : undefined });
    } catch (err) {
      return sendError(reply, err);
    }
  });

  app.setErrorHandler((err, _request, reply) => {
    const status = (err as { statusCode?: number }).statusCode ?? 500;
    const message = err instanceof Error ? err.message : String(err);
    return reply.code(status).send({ error: message, ...(status === 400 ? { field: 'body' } : {}) });
  });
}

function sendError(reply: FastifyReply, err: unknown) {
  if (err instanceof InvalidTaskError) return reply.code(400).send({ error: err.message, field: err.field });
  const message = err instanceof Error ? err.message : String(err);
  if (/not found|no task with id/i.test(message)) return reply.code(404).send({ error: message });
  return reply.code(500).send({ error: message });
}
