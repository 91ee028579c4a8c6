import { Worker } from '@temporalio/worker';
import type { TaskResult } from '../../../src/shared/task';
import { workflowTelemetrySinks } from '../../../src/telemetry/sinks/workflow-modules';
import { fixtureBase64 } from '../../harness/fixtures';
import { workflowBundle } from '../../harness/offload-env';
import { closeTestRuntimes, testRuntime } from '../../harness/test-runtime';
import { cachedGenerator, endlessDetect, fakeRuntime } from '../../harness/fake-runtimes';
import { parsePrometheusText, valueOf } from '../../harness/prom-text';
import { RecordingTaskTelemetry, TelemetryTestEnv } from '../../harness/telemetry-env';

let env: TelemetryTestEnv;

beforeAll(async () => {
  env = await TelemetryTestEnv.start({ runtimes: { cpu: await testRuntime('cpu') } });
});

afterAll(async () => {
  await env?.close();
  await closeTestRuntimes();
});

const image = () => ({ image_base64: fixtureBase64('images/dog_320x240.jpg') });

test('a finished task is reported once through the sink: outcome, provider, model, degradation; each ladder step too', async () => {
  const result = await env.offload.submit(
    { task_type: 'vision.detection', payload: image(), meta: { robot_id: 'rider-3' } },
    { policy: { route: ['gpu', 'cpu'], pickupTimeoutMs: 500 } },
  );
  expect(result.status).toBe('completed');
  const tasks = env.recorder.tasks.filter((t) => t.task.task_id === result.task_id);
  expect(tasks).toHaveLength(1);
  expect(tasks[0].info.workflowId).toBe(result.task_id);
  expect(tasks[0].task).toMatchObject({
    task_type: 'vision.detection',
    robot_id: 'rider-3',
    outcome: 'completed',
    status: 'completed',
    provider: 'cpu',
    model: 'yolox-nano',
    fallback_required: false,
    deadline_exhausted: false,
    degradation: [expect.objectContaining({ from: 'gpu', to: 'cpu', reason: 'not_picked_up' })],
  });
  const steps = env.recorder.steps.filter((s) => s.step.task_id === result.task_id).map((s) => [s.step.hardware, s.step.outcome]);
  expect(steps).toEqual([
    ['gpu', 'not_picked_up'],
    ['cpu', 'completed'],
  ]);
  const page = parsePrometheusText(await env.metrics.registry.metrics());
  expect(valueOf(page, 'offload_tasks_total', { task_type: 'vision.detection', outcome: 'completed' })).toBeGreaterThanOrEqual(1);
  expect(valueOf(page, 'circuit_breaker_failures_total', { provider: 'gpu' })).toBeGreaterThanOrEqual(1);
  expect(valueOf(page, 'provider_tasks_processed_total', { provider: 'cpu', task_type: 'vision.detection', status: 'completed' })).toBeGreaterThanOrEqual(1);
});

test('bad input is reported as invalid, with the error type, and the step as invalid_input', async () => {
  const result = await env.offload.submit({ task_type: 'vision.detection', payload: { image_base64: Buffer.from('not a jpeg').toString('base64') } }, { policy: { route: ['cpu'] } });
  expect(result.status).toBe('failed');
  const [report] = env.recorder.tasks.filter((t) => t.task.task_id === result.task_id);
  expect(report.task).toMatchObject({ outcome: 'invalid', status: 'failed', provider: 'cpu', error_type: 'InvalidInput' });
  expect(env.recorder.steps.filter((s) => s.step.task_id === result.task_id).map((s) => s.step.outcome)).toEqual(['invalid_input']);
});

test('replaying a finished run calls the sink again only when a sink asks for it (callDuringReplay false = never)', async () => {
  const result = (await env.offload.submit({ task_type: 'vision.detection', payload: image() }, { policy: { route: ['cpu'] } })) as TaskResult;
  const history = await env.client.workflow.getHandle(result.task_id).fetchHistory();

  const quiet = new RecordingTaskTelemetry({ stepFinished: () => undefined, taskFinished: () => undefined });
  await Worker.runReplayHistory({ workflowBundle: await workflowBundle(), sinks: workflowTelemetrySinks(quiet) }, history, result.task_id);
  expect([quiet.tasks.length, quiet.steps.length]).toEqual([0, 0]);

  // Control: the same replay with callDuringReplay on does reach the sink, so the interceptors did run.
  const loud = new RecordingTaskTelemetry({ stepFinished: () => undefined, taskFinished: () => undefined });
  const sinks = workflowTelemetrySinks(loud);
  sinks.offloadTelemetry.taskFinished.callDuringReplay = true;
  await Worker.runReplayHistory({ workflowBundle: await workflowBundle(), sinks }, history, result.task_id);
  expect(loud.tasks.map((t) => t.task.task_id)).toEqual([result.task_id]);
});

describe('with stand-in runtimes', () => {
  let fakes: TelemetryTestEnv;
  beforeAll(async () => {
    fakes = await TelemetryTestEnv.start({
      runtimes: { gpu: fakeRuntime('gpu', ['vision.detection', 'text.generate'], { detect: endlessDetect(), generate: cachedGenerator() }) },
    });
  });
  afterAll(() => fakes?.close());

  test('a run past its deadline is a ladder deadline drop; the step counts against the breaker', async () => {
    const result = await fakes.offload.submit({ task_type: 'vision.detection', payload: image() }, { policy: { route: ['gpu'], deadlineMs: 1500 } });
    expect(result.meta.fallback_required).toBe(true);
    const [report] = fakes.recorder.tasks.filter((t) => t.task.task_id === result.task_id);
    expect(report.task).toMatchObject({ outcome: 'fallback', deadline_exhausted: true, provider: 'gpu' });
    expect(fakes.recorder.steps.find((s) => s.step.task_id === result.task_id)?.step.outcome).toBe('deadline');
    const page = parsePrometheusText(await fakes.metrics.registry.metrics());
    expect(valueOf(page, 'offload_deadline_drops_total', { task_type: 'vision.detection', stage: 'ladder' })).toBe(1);
    expect(valueOf(page, 'circuit_breaker_failures_total', { provider: 'gpu' })).toBe(1);
  });

  test('text generation feeds llm_* and cache_* from the activity result (from_cache, tokens_used)', async () => {
    for (let i = 0; i < 2; i++) {
      const result = await fakes.offload.submit({ task_type: 'text.generate', payload: { prompt: 'hi' } }, { policy: { route: ['gpu'] } });
      expect(result.status).toBe('completed');
    }
    const page = parsePrometheusText(await fakes.metrics.registry.metrics());
    expect(valueOf(page, 'llm_requests_total', { provider: 'gpu', model: 'fake-llm', status: 'completed' })).toBe(1);
    expect(valueOf(page, 'llm_tokens_used_total', { provider: 'gpu', model: 'fake-llm', token_type: 'total' })).toBe(12);
    expect(valueOf(page, 'llm_latency_seconds_count', { provider: 'gpu', model: 'fake-llm' })).toBe(1);
    expect(valueOf(page, 'cache_hits_total', { cache_type: 'text_generation' })).toBe(1);
    expect(valueOf(page, 'cache_misses_total', { cache_type: 'text_generation' })).toBe(1);
  });
});
