import Fastify, { type FastifyInstance } from 'fastify';
import { registerHealthRoutes } from '../../src/api/health-routes';
import { createLiveWorkerProbe } from '../../src/api/live-workers';
import { OffloadTestEnv } from '../harness/offload-env';
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

async function waitForReadiness(status: number, timeoutMs: number): Promise<{ status: number; body: Record<string, unknown> }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = await readiness();
    if (now.status === status || Date.now() > deadline) return now;
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('/readyz follows the live workers: not ready without an inference worker, ready with one, not ready soon after it stops', async () => {
  const none = { workflows: 1, inference: { gpu: 0, cpu: 0 } };
  expect(await waitForReadiness(503, 10_000)).toEqual({ status: 503, body: { ready: false, reason: 'no inference worker alive', workers: none } });

  await env.startInferenceWorker('cpu');
  const ready = await waitForReadiness(200, 10_000);
  expect(ready).toEqual({ status: 200, body: { ready: true, workers: { workflows: 1, inference: { gpu: 0, cpu: 1 } } } });

  const stopping = performance.now();
  await env.stopWorker('cpu');
  const after = await waitForReadiness(503, 15_000);
  console.log(`/readyz turned 503 ${Math.round(performance.now() - stopping)} ms after the cpu worker began to stop (pollers alone would look alive for 70 s)`);
  expect(after).toEqual({ status: 503, body: { ready: false, reason: 'no inference worker alive', workers: none } });
}, 60_000);
