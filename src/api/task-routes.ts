import type { FastifyInstance, FastifyReply } from 'fastify';
import type { OffloadClient } from '../client/offload-client';
import { InvalidTaskError } from '../shared/errors';
import { isTaskType, TASK_TYPES } from '../shared/task-types';

/** POST /v1/tasks submits a TaskEnvelope (`?wait=false` returns at once); GET reads results and lists runs. */
export function registerTaskRoutes(app: FastifyInstance, offload: OffloadClient): void {
  app.post('/v1/tasks', async (request, reply) => {
    const contentType = request.headers['content-type'];
    // fastify also parses text/plain (into a string): say what is wrong rather than "not a JSON object".
    if (contentType !== undefined && !/^application\/json\b/i.test(contentType)) return unsupportedMediaType(reply, contentType);
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
    const problem = listQueryProblem(q);
    if (problem) return reply.code(400).send(problem);
    try {
      return await offload.list({ failed: q.failed === 'true', taskType: q.type, robot: q.robot, limit: q.limit ? Number(q.limit) : undefined });
    } catch (err) {
      return sendError(reply, err);
    }
  });

  app.setErrorHandler((err, request, reply) => {
    const code = (err as { code?: string }).code;
    if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      const length = request.headers['content-length'];
      return reply.code(413).send({ error: `request body${length ? ` is ${length} bytes,` : ' is'} over the ${app.initialConfig.bodyLimit}-byte limit`, field: 'body' });
    }
    if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return unsupportedMediaType(reply, request.headers['content-type']);
    const status = (err as { statusCode?: number }).statusCode ?? 500;
    const message = err instanceof Error ? err.message : String(err);
    return reply.code(status).send({ error: message, ...(status === 400 ? { field: 'body' } : {}) });
  });
}

function unsupportedMediaType(reply: FastifyReply, contentType: string | undefined) {
  return reply.code(415).send({ error: `content-type must be application/json, got "${contentType ?? 'none'}"`, field: 'content-type' });
}

/** What is wrong with a `GET /v1/tasks` query, naming the parameter. */
function listQueryProblem(q: Record<string, string>): { error: string; field: string } | undefined {
  if (q.limit !== undefined && !/^[1-9]\d*$/.test(q.limit)) return { error: `invalid query: limit: must be a positive whole number, got "${q.limit}"`, field: 'limit' };
  if (q.type !== undefined && !isTaskType(q.type)) return { error: `invalid query: type: must be one of ${TASK_TYPES.join(', ')}`, field: 'type' };
  return undefined;
}

function sendError(reply: FastifyReply, err: unknown) {
  if (err instanceof InvalidTaskError) return reply.code(400).send({ error: err.message, field: err.field });
  const message = err instanceof Error ? err.message : String(err);
  if (/not found|no task with id/i.test(message)) return reply.code(404).send({ error: message });
  return reply.code(500).send({ error: message });
}
