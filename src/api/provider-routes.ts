import type { FastifyInstance, FastifyReply } from 'fastify';
import { servesAnything, type Capabilities } from '../bridge/capabilities';
import type { OffloadClient } from '../client/offload-client';
import { InvalidTaskError } from '../shared/errors';
import type { GenerationResult } from '../shared/model-results';

export interface ProviderRouteDeps {
  offload: Pick<OffloadClient, 'submit'>;
  capabilities: { get(): Promise<Capabilities> };
}

const GENERATE_FIELDS = ['prompt', 'mode', 'context', 'system_prompt', 'max_tokens', 'temperature'] as const;

/**
 * The robot's provider endpoints (also under `/api/...`, as the old PC served them):
 * `GET /providers/capabilities` (polled every 5 s with a 2 s timeout; 503 when the PC serves no domain) and
 * `POST /providers/text/generate` (a `text.generate` task; 503 with `fallback_required` when the PC cannot serve it).
 */
export function registerProviderRoutes(app: FastifyInstance, deps: ProviderRouteDeps): void {
  for (const prefix of ['', '/api']) {
    app.get(`${prefix}/providers/capabilities`, async (_request, reply) => capabilities(deps.capabilities, reply));
    app.post(`${prefix}/providers/text/generate`, async (request, reply) => generate(deps.offload, request.body, reply));
  }
}

/**
 * The robot's watchdog reads only `version` and counts only HTTP errors and timeouts: when the PC
 * serves no domain, a 503 (with the same body, for operators) makes it switch everything to local.
 */
async function capabilities(source: ProviderRouteDeps['capabilities'], reply: FastifyReply) {
  const body = await source.get();
  return reply.code(servesAnything(body) ? 200 : 503).send(body);
}

async function generate(offload: ProviderRouteDeps['offload'], body: unknown, reply: FastifyReply) {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return reply.code(400).send({ error: 'the body must be a JSON object with a "prompt"', field: 'body' });
  }
  const fields = body as Record<string, unknown>;
  const payload = Object.fromEntries(GENERATE_FIELDS.filter((f) => fields[f] !== undefined && fields[f] !== null).map((f) => [f, fields[f]]));
  try {
    const result = await offload.submit({ task_type: 'text.generate', payload, meta: { source: 'providers-http' } });
    const generated = result.result as GenerationResult | null;
    if (result.status === 'completed' && generated) {
      return reply.send({ task_id: result.task_id, text: generated.text, meta: result.meta, from_cache: generated.from_cache, tokens_used: generated.tokens_used });
    }
    return reply
      .code(result.meta.fallback_required ? 503 : 502)
      .send({ task_id: result.task_id, text: null, error: result.error, meta: result.meta, from_cache: false, tokens_used: 0 });
  } catch (err) {
    if (err instanceof InvalidTaskError) return reply.code(400).send({ error: err.message, field: err.field.replace(/^payload\./, '') });
    return reply.code(500).send({ error: err instanceof Error ? err.message : String(err) });
  }
}
