import Fastify, { type FastifyInstance } from 'fastify';
import { registerHealthRoutes } from '../../src/api/health-routes';
import { createLiveWorkerProbe } from '../../src/client/live-workers';
import { OffloadTestEnv } from '../harness/offload-env';
import { pollUntil } from '../harness/poll-until';
import { closeTestRuntimes } from '../harness/test-runtime';

let env: OffloadTestEnv;
let app: FastifyInstance;
let url: string;

beforeAll(async () => {
  env = await OffloadTestEnv.start({ hardware: [] });
  app = Fastify();
  registerHealthRoutes(app, createLiveWorkerProbe(env.client, env.config.queuePrefix));
  url = await app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await app?.close();
  await env?.close();
  await closeTestRuntimes();
});

async function readiness(): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${url}/readyz`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Polls /readyz until it answers `expected` or `timeoutMs` has passed; the last answer. */
async function readinessOnceIt(expected: { status: number; body: Record<string, unknown> }, timeoutMs: number): Promise<{ status: number; body: Record<string, unknown> }> {
  let last = await readiness();
  await pollUntil(async () => JSON.stringify((last = await readiness())) === JSON.stringify(expected), timeoutMs, 200);
  return last;
}

test('/readyz follows the live workers: not ready without an inference worker, ready with one, not ready soon after it stops', async () => {
  const none = { workflows: 1, inference: { gpu: 0, cpu: 0 } };
  const notReady = { status: 503, body: { ready: false, reason: 'no inference worker alive', workers: none } };
  expect(await readinessOnceIt(notReady, 60_000)).toEqual(notReady);

  await env.startInferenceWorker('cpu');
  const ready = { status: 200, body: { ready: true, workers: { workflows: 1, inference: { gpu: 0, cpu: 1 } } } };
  expect(await readinessOnceIt(ready, 60_000)).toEqual(ready);

  const stopping = performance.now();
  await env.stopWorker('cpu');
  // Within 45 s on any machine: a stopping worker reports it in its heartbeat (a silent one is overdue
  // after 5 s), while its poller alone would look alive for 70 s.
  const after = await readinessOnceIt(notReady, 45_000);
  console.log(`/readyz turned 503 ${Math.round(performance.now() - stopping)} ms after the cpu worker began to stop (pollers alone would look alive for 70 s)`);
  expect(after).toEqual(notReady);
}, 240_000);
