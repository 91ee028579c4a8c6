import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerProviderRoutes, robotCapabilities } from '../../../src/api/provider-routes';
import { findRepoRoot } from '../../../src/models/model-dirs';
import { modelGate } from '../../harness/installed-models';
import { OffloadTestEnv } from '../../harness/offload-env';

let env: OffloadTestEnv;
let app: FastifyInstance;
let url: string;
let worker: ChildProcess | undefined;
let workerOutput = '';

/** A real inference worker process (with Temporal worker heartbeats), as `npm start` runs it. */
function startWorker(): ChildProcess {
  const child = spawn(process.execPath, [resolve(findRepoRoot(), 'dist/src/main/inference-worker.js'), '--hardware', 'cpu'], {
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: process.env.OFFLOAD_TEST_TEMPORAL_ADDRESS,
      OFFLOAD_TASK_QUEUE_PREFIX: env.config.queuePrefix,
      OFFLOAD_MODEL_DIR: process.env.OFFLOAD_TEST_MODEL_DIR,
      OFFLOAD_WORKER_METRICS_PORT: 'off',
      OFFLOAD_LOG_FORMAT: 'json',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => (workerOutput += d));
  child.stderr?.on('data', (d) => (workerOutput += d));
  return child;
}

/** One robot poll: GET with the robot's 2 s timeout. */
async function poll(): Promise<{ ms: number; body: Record<string, { mode: string; features: string[]; reason?: string }> }> {
  const started = performance.now();
  const response = await fetch(`${url}/providers/capabilities`, { signal: AbortSignal.timeout(2000) });
  expect(response.status).toBe(200);
  const body = (await response.json()) as Record<string, { mode: string; features: string[] }>;
  return { ms: performance.now() - started, body };
}

async function pollUntil(match: (body: Awaited<ReturnType<typeof poll>>['body']) => boolean, everyMs: number, timeoutMs: number, workerMustLive = false) {
  const started = performance.now();
  for (;;) {
    const answer = await poll();
    if (match(answer.body)) return { ...answer, afterMs: performance.now() - started };
    if (workerMustLive && worker && worker.exitCode !== null) throw new Error(`the inference worker exited (${worker.exitCode}):\n${workerOutput.slice(-2000)}`);
    if (performance.now() - started > timeoutMs) throw new Error(`capabilities never matched within ${timeoutMs} ms; last: ${JSON.stringify(answer.body)}\n${workerOutput.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

async function generate(body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${url}/providers/text/generate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  env = await OffloadTestEnv.start({ hardware: [] });
  app = Fastify();
  registerProviderRoutes(app, { offload: env.offload, capabilities: robotCapabilities(env.client, env.config) });
  await app.listen({ host: '127.0.0.1', port: 0 });
  url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
}, 60_000);

afterAll(async () => {
  if (worker && worker.exitCode === null) worker.kill('SIGKILL');
  await app?.close();
  await env?.close();
});

test('no inference worker: every domain "local", answered well within the robot\'s 2 s', async () => {
  const { ms, body } = await poll();
  expect(body.vision).toMatchObject({ mode: 'local', features: [], reason: expect.stringMatching(/no live gpu or cpu worker/) });
  expect(body.voice.mode).toBe('local');
  expect(body.text.mode).toBe('local');
  expect(ms).toBeLessThan(2000);
});

test('vision turns "pc" once a worker polls, and "local" at the first poll after it stops', async () => {
  worker = startWorker();
  const up = await pollUntil((b) => b.vision.mode === 'pc', 500, 120_000, true);
  expect(up.body.vision.features).toEqual(['frame_offload', 'obstacle_enhanced', 'detection']);
  if (modelGate('voice.asr').installed) expect(up.body.voice.features).toContain('asr');

  // the robot's cadence: every 5 s, 2 s timeout
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const { ms, body } = await poll();
    times.push(Math.round(ms));
    expect(body.vision.mode).toBe('pc');
    await new Promise((r) => setTimeout(r, 5000));
  }
  if (modelGate('text.generate').installed) {
    const response = await generate({ prompt: 'Say hello to the robot.', mode: 'chat', context: null, system_prompt: 'You are a friendly robot.', max_tokens: 16, temperature: 0.2 });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ task_id: expect.stringMatching(/^text\.generate-/), text: expect.any(String), meta: { fallback_required: false }, from_cache: expect.any(Boolean), tokens_used: expect.any(Number) });
    console.log(`text/generate answered: ${JSON.stringify(response.body.text)} (${response.body.tokens_used} tokens)`);
  }
  worker.kill('SIGTERM');
  const stoppedAt = performance.now();
  const down = await pollUntil((b) => b.vision.mode === 'local', 100, 20_000);
  const detectMs = Math.round(performance.now() - stoppedAt);
  const next = await poll();
  console.log(`capabilities: polls answered in ${times.join(', ')} ms; vision "local" ${detectMs} ms after SIGTERM to the worker (robot polls every 5000 ms): ${down.body.vision.reason}`);
  expect(next.body.vision.mode).toBe('local');
  expect(detectMs).toBeLessThanOrEqual(5000);
}, 200_000);

test('a killed worker (SIGKILL: no goodbye) is noticed from its missing heartbeats', async () => {
  worker = startWorker();
  await pollUntil((b) => b.vision.mode === 'pc', 500, 120_000, true);
  await new Promise((r) => setTimeout(r, 5000)); // one robot poll: the worker has heartbeated by now
  worker.kill('SIGKILL');
  const killedAt = performance.now();
  await pollUntil((b) => b.vision.mode === 'local', 250, 30_000);
  const detectMs = Math.round(performance.now() - killedAt);
  console.log(`capabilities: vision "local" ${detectMs} ms after SIGKILL to the worker (heartbeats every 2 s, overdue after 5 s)`);
  expect(detectMs).toBeLessThanOrEqual(15_000);
}, 200_000);

test('POST /providers/text/generate when no worker can serve it: 503 with fallback_required, so the robot answers itself', async () => {
  const response = await generate({ prompt: 'Say hello to the robot.', mode: 'chat', context: null, system_prompt: null, max_tokens: 16, temperature: 0.2 });
  expect(response.status).toBe(503);
  expect(response.body).toMatchObject({ task_id: expect.stringMatching(/^text\.generate-/), text: null, meta: { fallback_required: true }, from_cache: false, tokens_used: 0 });
}, 60_000);

test('POST /providers/text/generate without a prompt: 400 naming the field', async () => {
  const response = await fetch(`${url}/providers/text/generate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mode: 'chat' }) });
  expect(response.status).toBe(400);
  expect(await response.json()).toMatchObject({ field: 'prompt' });
});
