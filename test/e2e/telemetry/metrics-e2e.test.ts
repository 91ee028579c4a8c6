import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { findRepoRoot } from '../../../src/models';
import type { TaskResult } from '../../../src/shared/task';
import { TELEMETRY_TOPICS } from '../../../src/telemetry/bus-telemetry';
import { OFFLOAD_SERIES } from '../../../src/telemetry/offload-metrics';
import { fixtureBase64 } from '../../harness/fixtures';
import { testDeadlines, TEST_DEADLINE_MS } from '../../harness/test-deadlines';
import { ProcessStack } from '../../harness/process-stack';
import { parsePrometheusText, samplesOf, valueOf, type PromPage } from '../../harness/prom-text';
import { RobotBroker } from '../../harness/robot-broker';
import { BusSubscriber } from '../../harness/bus-subscriber';

/**
 * Acceptance, with Offload as separate processes (workflow worker, cpu worker, API) and a real robot
 * broker: after real tasks, the API's /metrics has every series with its labels, the robot bus got
 * telemetry.task.completed for every task, and no log line holds a prompt, text or transcript.
 */
let modelDir: string;
const installed = (id: string) => existsSync(join(modelDir, id));
let broker: RobotBroker;
let operator: BusSubscriber;
let stack: ProcessStack;
const secret = `zebra-${randomUUID()}`;
const results: TaskResult[] = [];

/**
 * The models these tasks need (detection, text generation, speech recognition with its VAD), linked
 * from the test model directory: the cpu worker process then loads only those (the machine is shared).
 */
function modelSubset(ids: string[]): string {
  const source = process.env.OFFLOAD_TEST_MODEL_DIR as string;
  const dir = mkdtempSync(join(tmpdir(), 'offload-telemetry-models-'));
  for (const id of ids) if (existsSync(join(source, id))) symlinkSync(join(source, id), join(dir, id));
  return dir;
}

async function post(body: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${stack.apiUrl}/v1/tasks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(TEST_DEADLINE_MS),
  });
  return { status: response.status, json: await response.json() };
}

async function submit(body: Record<string, unknown>): Promise<TaskResult> {
  const { status, json } = await post(body);
  expect([status, (json as TaskResult).task_id]).toEqual([200, expect.any(String)]);
  results.push(json as TaskResult);
  return json as TaskResult;
}

async function scrape(path = '/metrics'): Promise<{ text: string; page: PromPage }> {
  const response = await fetch(`${stack.apiUrl}${path}`);
  expect(response.status).toBe(200);
  const text = await response.text();
  return { text, page: parsePrometheusText(text) };
}

beforeAll(async () => {
  modelDir = modelSubset(['yolox-nano', 'smollm2-135m-instruct', 'whisper-tiny.en', 'silero-vad']);
  broker = await RobotBroker.start();
  operator = BusSubscriber.connect(broker.xpubPort);
  stack = await ProcessStack.start({
    hardware: ['cpu'],
    env: {
      OFFLOAD_ROBOT_HOST: '127.0.0.1',
      OFFLOAD_ROBOT_PUB_PORT: String(broker.xsubPort),
      OFFLOAD_TELEMETRY_INTERVAL_MS: '500',
      // No gpu worker: each gpu step gives up after this; the idle cpu worker picks its step up long before.
      OFFLOAD_PICKUP_TIMEOUT_MS: '2000',
      OFFLOAD_ROUTES: 'vision.detection=gpu>cpu,vision.frame=gpu>cpu,voice.tts=cpu,voice.asr=cpu,text.generate=cpu,text.nlu=cpu',
      // A frame's 1 ms are over before its first step can start: it always falls back at its deadline.
      OFFLOAD_DEADLINES_MS: testDeadlines('vision.frame=1'),
      // The gpu breaker, opened by the gpu steps, stays open however long the machine takes over the rest.
      OFFLOAD_BREAKER_WINDOW_MS: '3600000',
      OFFLOAD_BREAKER_OPEN_MS: '3600000',
      OFFLOAD_MODEL_DIR: modelDir,
    },
  });
  const image = fixtureBase64('images/dog_320x240.jpg');
  for (let i = 0; i < 5; i++) await submit({ task_type: 'vision.detection', payload: { image_base64: image }, meta: { robot_id: 'rider-e2e' } });
  await submit({ task_type: 'vision.detection', payload: { image_base64: Buffer.from(`not a jpeg ${secret}`).toString('base64') } });
  await submit({ task_type: 'vision.frame', payload: { image_base64: image } });
  await submit({ task_type: 'voice.tts', payload: { text: `Say ${secret} out loud` } });
  await submit({ task_type: 'text.generate', payload: { prompt: `Tell me about ${secret}` } });
  await submit({ task_type: 'text.nlu', payload: { text: `please find the ${secret}` } });
  await submit({ task_type: 'voice.asr', payload: { audio_base64: fixtureBase64('audio/hello_world.wav'), format: 'wav', language: 'en' } });
  expect((await post({ payload: { text: 'no task type' } })).status).toBe(400);
}, 600_000);

afterAll(async () => {
  await stack?.stop();
  await operator?.close();
  await broker?.stop();
  if (modelDir) rmSync(modelDir, { recursive: true, force: true });
});

test('the tasks ran for real: completions on cpu, a degradation from gpu, an invalid input, a deadline fallback', () => {
  const detections = results.filter((r) => r.meta.task_type === 'vision.detection');
  expect(detections.filter((r) => r.status === 'completed' && r.meta.hardware === 'cpu')).toHaveLength(5);
  expect(detections[0].meta.degradation[0]).toMatchObject({ from: 'gpu', to: 'cpu', reason: 'not_picked_up' });
  expect(detections[5]).toMatchObject({ status: 'failed' });
  expect(results.find((r) => r.meta.task_type === 'vision.frame')).toMatchObject({ status: 'failed', meta: { fallback_required: true } });
});

test('GET /metrics on the API shows every Offload series, with the PC names and labels', async () => {
  const { page } = await scrape();
  for (const name of OFFLOAD_SERIES) expect([name, page.types.has(name)]).toEqual([name, true]);

  expect(valueOf(page, 'provider_tasks_processed_total', { provider: 'cpu', task_type: 'vision.detection', status: 'completed' })).toBe(5);
  expect(valueOf(page, 'provider_tasks_processed_total', { provider: 'cpu', task_type: 'vision.detection', status: 'failed' })).toBeGreaterThanOrEqual(1);
  expect(valueOf(page, 'provider_task_duration_seconds_count', { provider: 'cpu', task_type: 'vision.detection' })).toBeGreaterThanOrEqual(6);
  expect(samplesOf(page, 'provider_task_duration_seconds_bucket', { provider: 'cpu', task_type: 'vision.detection', le: '+Inf' })).toHaveLength(1);

  const queues = ['workflows', 'gpu', 'cpu'].map((q) => `${stack.env.OFFLOAD_TASK_QUEUE_PREFIX}-${q}`);
  for (const queue_name of queues) expect(samplesOf(page, 'task_queue_size', { queue_name })).toHaveLength(1);
  expect(valueOf(page, 'task_queue_full_total')).toBeGreaterThanOrEqual(5);

  expect(valueOf(page, 'circuit_breaker_state', { provider: 'gpu' })).toBe(2);
  expect(valueOf(page, 'circuit_breaker_state', { provider: 'cpu' })).toBe(0);
  expect(valueOf(page, 'circuit_breaker_failures_total', { provider: 'gpu' })).toBeGreaterThanOrEqual(5);
  expect(samplesOf(page, 'circuit_breaker_failures_total', { provider: 'cpu' })).toHaveLength(1);

  expect(valueOf(page, 'provider_initialized', { provider: 'cpu' })).toBe(1);
  expect(valueOf(page, 'provider_initialized', { provider: 'gpu' })).toBe(0);

  expect(samplesOf(page, 'cache_hits_total', { cache_type: 'text_generation' })).toHaveLength(1);
  expect(samplesOf(page, 'cache_misses_total', { cache_type: 'text_generation' })).toHaveLength(1);
  const llm = samplesOf(page, 'llm_requests_total', { provider: 'cpu' });
  expect(llm.length).toBeGreaterThanOrEqual(1);
  expect(Object.keys(llm[0].labels).sort()).toEqual(['model', 'provider', 'status']);
  expect(valueOf(page, 'llm_latency_seconds_count', { provider: 'cpu' })).toBeGreaterThanOrEqual(1);
  const generated = results.find((r) => r.meta.task_type === 'text.generate') as TaskResult;
  expect(generated.status).toBe(installed('smollm2-135m-instruct') ? 'completed' : 'failed');
  if (generated.status === 'completed') {
    expect(samplesOf(page, 'llm_tokens_used_total', { provider: 'cpu', model: generated.meta.model as string }).length).toBeGreaterThanOrEqual(1);
  } else {
    expect(samplesOf(page, 'llm_errors_total', { provider: 'cpu', error_type: 'ModelNotInstalled' })).toHaveLength(1);
  }

  expect(valueOf(page, 'offload_tasks_total', { task_type: 'vision.detection', outcome: 'completed' })).toBe(5);
  expect(valueOf(page, 'offload_tasks_total', { task_type: 'vision.detection', outcome: 'invalid' })).toBe(1);
  expect(valueOf(page, 'offload_tasks_total', { task_type: 'vision.frame', outcome: 'fallback' })).toBe(1);
  expect(valueOf(page, 'offload_task_latency_seconds_count', { task_type: 'vision.detection', outcome: 'completed' })).toBe(5);
  expect(valueOf(page, 'offload_degradation_steps_total', { task_type: 'vision.detection', from: 'gpu', to: 'cpu', reason: 'not_picked_up' })).toBe(5);
  expect(valueOf(page, 'offload_deadline_drops_total', { task_type: 'vision.frame', stage: 'ladder' })).toBe(1);
  expect(samplesOf(page, 'offload_deadline_drops_total', { task_type: 'voice.asr', stage: 'delivery' })).toHaveLength(1);
  expect(valueOf(page, 'offload_malformed_messages_total', { source: 'http', topic: '/v1/tasks' })).toBe(1);
  expect(valueOf(page, 'offload_tasks_submitted_total', { task_type: 'vision.detection' })).toBe(6);
});

test('/metrics?aggregate=false is the API process alone; each worker serves its own /metrics with the Temporal SDK series', async () => {
  const { page: local } = await scrape('/metrics?aggregate=false');
  expect(valueOf(local, 'offload_tasks_submitted_total', { task_type: 'vision.detection' })).toBe(6);
  expect(samplesOf(local, 'offload_tasks_total')).toHaveLength(0);

  const identities = stack.allLines().map((line) => /"metrics":"(http:[^"]+)"/.exec(line)?.[1]).filter(Boolean) as string[];
  expect(identities).toHaveLength(2);
  const sdkSeriesSeen = new Set<string>();
  for (const url of identities) {
    const text = await (await fetch(url)).text();
    const page = parsePrometheusText(text);
    const sdkSeries = [...page.types.keys()].filter((name) => name.startsWith('temporal_'));
    const comments = text.split('\n').filter((line) => line.startsWith('# Temporal SDK'));
    expect({ url, process: page.types.has('process_cpu_seconds_total'), sdk: sdkSeries.length > 5, comments }).toEqual({ url, process: true, sdk: true, comments: [] });
    for (const name of sdkSeries) sdkSeriesSeen.add(name);
  }
  const dashboard = readFileSync(resolve(findRepoRoot(), 'deploy/grafana/dashboards/offload.json'), 'utf8');
  const usedByDashboard = [...new Set(dashboard.match(/temporal_[a-z_]+/g) ?? [])].map((name) => name.replace(/_(bucket|count|sum)$/, ''));
  expect(usedByDashboard.length).toBeGreaterThan(0);
  for (const name of usedByDashboard) expect([name, sdkSeriesSeen.has(name)]).toEqual([name, true]);
});

test('a real SUB socket on the robot bus got telemetry.task.completed for every task, and periodic status', async () => {
  await operator.waitFor(() => operator.on(TELEMETRY_TOPICS.taskCompleted).length >= results.length, 60_000, 'a telemetry.task.completed per task');
  const completed = operator.on(TELEMETRY_TOPICS.taskCompleted).map((m) => m.payload);
  expect(completed.map((m) => m.task_id).sort()).toEqual(results.map((r) => r.task_id).sort());
  expect(completed.find((m) => m.task_id === results[0].task_id)).toMatchObject({
    task_type: 'vision.detection',
    robot_id: 'rider-e2e',
    status: 'completed',
    outcome: 'completed',
    provider: 'cpu',
    model: 'yolox-nano',
    fallback_required: false,
    degradation: [expect.objectContaining({ from: 'gpu', to: 'cpu', reason: 'not_picked_up' })],
  });
  expect(JSON.stringify(completed)).not.toContain(secret);

  await operator.waitFor(() => operator.on(TELEMETRY_TOPICS.providerStatus).length > 0 && operator.on(TELEMETRY_TOPICS.queueMetrics).length > 0, 60_000, 'status topics');
  const status = operator.on(TELEMETRY_TOPICS.providerStatus).at(-1)?.payload as { providers: Array<Record<string, unknown>> };
  expect(status.providers).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ provider: 'gpu', circuit_breaker: 'open', circuit_breaker_state: 2, initialized: false }),
      expect.objectContaining({ provider: 'cpu', circuit_breaker: 'closed', circuit_breaker_state: 0, initialized: true, workers: 1 }),
    ]),
  );
  const queues = operator.on(TELEMETRY_TOPICS.queueMetrics).at(-1)?.payload as { queues: Array<Record<string, unknown>> };
  expect(queues.queues).toEqual(expect.arrayContaining([expect.objectContaining({ queue_name: `${stack.env.OFFLOAD_TASK_QUEUE_PREFIX}-cpu`, size: expect.any(Number), workers: 1 })]));
});

test('logs are JSON with task, workflow and run ids, robot and task type, and hold no prompt, text or transcript', () => {
  const lines = stack.allLines();
  const json = lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(json.length).toBeGreaterThan(10);
  const finished = json.filter((entry) => entry.msg === 'task finished' || String(entry.msg).startsWith('task finished:'));
  expect(finished.length).toBe(results.length);
  expect(finished.find((entry) => entry.task_id === results[0].task_id)).toMatchObject({
    workflow_id: results[0].task_id,
    run_id: expect.any(String),
    robot_id: 'rider-e2e',
    task_type: 'vision.detection',
    outcome: 'completed',
  });
  const activity = json.filter((entry) => entry.msg === 'model activity completed');
  expect(activity[0]).toMatchObject({ task_id: expect.any(String), workflow_id: expect.any(String), run_id: expect.any(String), task_type: expect.any(String), hardware: 'cpu' });

  const all = lines.join('\n');
  expect(all).not.toContain(secret);
  const transcript = (results.find((r) => r.meta.task_type === 'voice.asr')?.result as { text?: string } | null)?.text ?? '';
  expect(transcript.trim().length > 3).toBe(installed('whisper-tiny.en'));
  if (transcript.trim().length > 3) expect(all).not.toContain(transcript.trim());
  expect(all).not.toContain(fixtureBase64('images/dog_320x240.jpg').slice(0, 64));
});
