import { DegradedKey, HardwareKey, ModelKey, OutcomeKey, TaskTypeKey } from '../../src/shared/search-attributes';
import type { DetectionResult } from '../../src/shared/detection';
import type { TaskResult } from '../../src/shared/task';
import { fixtureBase64 } from '../harness/fixtures';
import { OffloadTestEnv } from '../harness/offload-env';
import { closeTestRuntimes } from '../harness/test-runtime';

let env: OffloadTestEnv;

beforeAll(async () => {
  // The gpu worker is there to pick every task up: however long the machine takes to, it is no step down.
  env = await OffloadTestEnv.start({ hardware: ['gpu', 'cpu'], env: { OFFLOAD_PICKUP_TIMEOUT_MS: '120000' } });
});

afterAll(async () => {
  await env?.close();
  await closeTestRuntimes();
});

function labels(result: TaskResult): string[] {
  return (result.result as DetectionResult).boxes.map((b) => b.label);
}

test('dog.jpg: a completed TaskResult whose boxes include a dog, with model and hardware in meta', async () => {
  const result = await env.offload.submit({ task_type: 'vision.detection', payload: { image_base64: fixtureBase64('images/dog.jpg') } });
  expect(result.status).toBe('completed');
  expect(labels(result)).toEqual(expect.arrayContaining(['dog', 'bicycle']));
  expect(result.meta).toMatchObject({ model: 'yolox-nano', model_kind: 'real', hardware: 'gpu', attempts: 1, fallback_required: false });
  expect(result.meta.degradation).toEqual([]);
  expect(result.meta.timings.inference_ms).toBeGreaterThan(0);
});

test('bus.jpg: a bus and at least 3 persons', async () => {
  const result = await env.offload.submit({ task_type: 'vision.detection', payload: { image_base64: fixtureBase64('images/bus.jpg') } });
  expect(labels(result)).toContain('bus');
  expect(labels(result).filter((l) => l === 'person').length).toBeGreaterThanOrEqual(3);
});

test('the run carries search attributes and a static summary for the Temporal UI', async () => {
  const result = await env.offload.submit({
    task_id: `sa-${Date.now()}`,
    task_type: 'vision.frame',
    payload: { image_base64: fixtureBase64('images/person_320x240.jpg') },
    meta: { robot_id: 'rider-7' },
  });
  expect(labels(result)).toContain('person');
  const description = await env.client.workflow.getHandle(result.task_id).describe();
  const sa = description.typedSearchAttributes;
  expect(sa.get(TaskTypeKey)).toBe('vision.frame');
  expect(sa.get(HardwareKey)).toBe('gpu');
  expect(sa.get(ModelKey)).toBe('yolox-nano');
  expect(sa.get(OutcomeKey)).toBe('completed');
  expect(sa.get(DegradedKey)).toBe(false);
  expect(result.meta.priority).toBe(1);
  expect(await description.staticSummary()).toContain('vision.frame from rider-7');
});

test('a task whose model is not installed fails with "model not installed", never with invented output', async () => {
  const requests = [
    { task_type: 'vision.detection', payload: { image_base64: fixtureBase64('images/dog_320x240.jpg') } },
    { task_type: 'voice.tts', payload: { text: 'Hello world, I am the robot.' } },
    { task_type: 'text.nlu', payload: { text: 'Please stop moving right now' } },
    { task_type: 'text.generate', payload: { prompt: 'Say hi' } },
    { task_type: 'voice.asr', payload: { audio_base64: fixtureBase64('audio/hello_world.wav'), format: 'wav' } },
  ];
  for (const request of requests) {
    const result = await env.offload.submit({ ...request, meta: { model: 'no-such-model' } }, { policy: { route: ['cpu'] } });
    expect(result).toMatchObject({ status: 'failed', result: null });
    expect(result.error).toMatch(/model not installed.*no-such-model/);
    expect(result.meta.degradation[0]).toMatchObject({ from: 'cpu', to: 'robot', reason: 'model_not_installed' });
  }
});
