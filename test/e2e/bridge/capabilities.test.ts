import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerProviderRoutes } from '../../../src/api/provider-routes';
import { robotCapabilities } from '../../../src/bridge/capabilities';
import { findRepoRoot } from '../../../src/models/model-dirs';
import { modelGate } from '../../harness/installed-models';
import { OffloadTestEnv } from '../../harness/offload-env';
import { waitUntil } from '../../harness/poll-until';
import { RobotWatchdog } from '../../harness/robot-watchdog';
import { lastHeartbeat as lastWorkerHeartbeat } from '../../harness/worker-heartbeats';

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

/**
 * One robot poll. The robot gives up after 2 s; answering within that is speed (the bridge-frames
 * bench records it, and the probe's own timeout is a unit test's), so here a poll waits for its answer.
 * 200 while some domain is served, else 503 (with the same body).
 */
async function poll(): Promise<{ ms: number; status: number; body: Record<string, { mode: string; features: string[]; reason?: string }> }> {
  const started = performance.now();
  const response = await fetch(`${url}/providers/capabilities`, { signal: AbortSignal.timeout(60_000) });
  const body = (await response.json()) as Record<string, { mode: string; features: string[] }>;
  const served = ['vision', 'voice', 'text'].some((domain) => body[domain].mode === 'pc');
  expect(response.status).toBe(served ? 200 : 503);
  return { ms: performance.now() - started, status: response.status, body };
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

/** The last heartbeat the server has from the worker process `pid`. */
const lastHeartbeat = (pid: number) => lastWorkerHeartbeat(env.client, env.config.queuePrefix, 'cpu', pid);

beforeAll(async () => {
  env = await OffloadTestEnv.start({ hardware: [] });
  app = Fastify();
  // No cache: a poll shows what the server says now. A probe may take as long as the machine needs:
  // past the (default 1.5 s) timeout it would answer "local" whatever the workers do.
  registerProviderRoutes(app, { offload: env.offload, capabilities: robotCapabilities(env.client, env.config, { cacheMs: 0, timeoutMs: 60_000 }) });
  await app.listen({ host: '127.0.0.1', port: 0 });
  url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
}, 60_000);

afterAll(async () => {
  if (worker && worker.exitCode === null) worker.kill('SIGKILL');
  await app?.close();
  await env?.close();
});

test('no inference worker: 503, every domain "local", naming the hardware it waited for', async () => {
  const { ms, status, body } = await poll();
  console.log(`capabilities with no worker answered in ${Math.round(ms)} ms`);
  expect(status).toBe(503);
  expect(body.vision).toMatchObject({ mode: 'local', features: [], reason: expect.stringMatching(/no live gpu or cpu worker/) });
  expect(body.voice.mode).toBe('local');
  expect(body.text.mode).toBe('local');
});

test('the robot\'s watchdog, polling a PC that serves nothing, switches to local after exactly 3 failed polls', async () => {
  // The poll waits as long as the machine needs (see poll()): every failure here is the 503.
  const watchdog = new RobotWatchdog(url, { timeoutMs: 60_000 });
  const polls = await watchdog.run(100, (p) => p.mode === 'local', 10);
  expect(polls.map((p) => [p.status, p.failures, p.mode])).toEqual([
    [503, 1, 'pc'],
    [503, 2, 'pc'],
    [503, 3, 'local'],
  ]);
});

test('vision turns "pc" once a worker polls, and "local" at the first poll after it says it is stopping', async () => {
  worker = startWorker();
  const up = await pollUntil((b) => b.vision.mode === 'pc', 500, 120_000, true);
  expect(up.status).toBe(200);
  expect(up.body.vision.features).toEqual(['frame_offload', 'obstacle_enhanced', 'detection']);
  if (modelGate('voice.asr').installed) expect(up.body.voice.features).toContain('asr');

  // the robot's cadence: every 5 s, 2 s timeout
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const { ms, status, body } = await poll();
    times.push(Math.round(ms));
    expect([status, body.vision.mode]).toEqual([200, 'pc']);
    await new Promise((r) => setTimeout(r, 5000));
  }
  if (modelGate('text.generate').installed) {
    const response = await generate({ prompt: 'Say hello to the robot.', mode: 'chat', context: null, system_prompt: 'You are a friendly robot.', max_tokens: 16, temperature: 0.2 });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ task_id: expect.stringMatching(/^text\.generate-/), text: expect.any(String), meta: { fallback_required: false }, from_cache: expect.any(Boolean), tokens_used: expect.any(Number) });
    console.log(`text/generate answered: ${JSON.stringify(response.body.text)} (${response.body.tokens_used} tokens)`);
  }
  const pid = worker.pid as number;
  await waitUntil('the worker heartbeats', async () => (await lastHeartbeat(pid))?.running === true, 60_000);
  worker.kill('SIGTERM');
  const stoppedAt = performance.now();
  // A stopping worker says so in its heartbeat (it does not wait to be missed): the next poll is "local".
  await waitUntil('the worker reports that it stops', async () => (await lastHeartbeat(pid))?.running === false, 60_000);
  const reportedMs = Math.round(performance.now() - stoppedAt);
  const next = await poll();
  console.log(`capabilities: polls answered in ${times.join(', ')} ms; the worker reported it stops ${reportedMs} ms after SIGTERM, and the next poll said: ${next.body.vision.reason}`);
  expect([next.status, next.body.vision.mode]).toEqual([503, 'local']);
}, 200_000);

test('a killed worker (SIGKILL: no goodbye) is noticed from its missing heartbeats', async () => {
  worker = startWorker();
  await pollUntil((b) => b.vision.mode === 'pc', 500, 120_000, true);
  const pid = worker.pid as number;
  // A second heartbeat tells the server the worker's interval: only then can its silence be judged.
  await waitUntil('the worker heartbeats at its interval', async () => ((await lastHeartbeat(pid))?.sincePreviousMs ?? 0) > 0, 60_000);
  worker.kill('SIGKILL');
  const killedAt = performance.now();
  const down = await pollUntil((b) => b.vision.mode === 'local', 250, 60_000);
  expect(down.status).toBe(503);
  const detectMs = Math.round(performance.now() - killedAt);
  // No goodbye: the last heartbeat still says "running"; only its age (heartbeats every 2 s, overdue after 5 s) told.
  const beat = await lastHeartbeat(pid);
  console.log(`capabilities: vision "local" ${detectMs} ms after SIGKILL to the worker; its last heartbeat is ${Math.round(beat?.ageMs ?? NaN)} ms old`);
  expect(beat?.running).toBe(true);
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
