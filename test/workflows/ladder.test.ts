import { DegradedKey, HardwareKey, OutcomeKey } from '../../src/shared/search-attributes';
import { fixtureBase64 } from '../harness/fixtures';
import { OffloadTestEnv } from '../harness/offload-env';
import { closeTestRuntimes } from '../harness/test-runtime';

const image = () => ({ image_base64: fixtureBase64('images/dog_320x240.jpg') });

afterAll(closeTestRuntimes);

describe('only a cpu worker', () => {
  let env: OffloadTestEnv;
  beforeAll(async () => {
    env = await OffloadTestEnv.start({ hardware: ['cpu'] });
  });
  afterAll(() => env?.close());

  test('a gpu-preferred task is not picked up on gpu, completes on cpu and records the step', async () => {
    const result = await env.offload.submit(
      { task_type: 'vision.detection', payload: image() },
      { policy: { route: ['gpu', 'cpu'], pickupTimeoutMs: 1000 } },
    );
    expect(result.status).toBe('completed');
    expect(result.meta.hardware).toBe('cpu');
    expect(result.meta.degradation).toEqual([
      expect.objectContaining({ from: 'gpu', to: 'cpu', reason: 'not_picked_up' }),
    ]);
    expect(result.meta.degradation[0].at_ms).toBeGreaterThanOrEqual(1000);
    const sa = (await env.client.workflow.getHandle(result.task_id).describe()).typedSearchAttributes;
    expect(sa.get(DegradedKey)).toBe(true);
    expect(sa.get(HardwareKey)).toBe('cpu');
  });
});

describe('no inference worker at all', () => {
  let env: OffloadTestEnv;
  beforeAll(async () => {
    env = await OffloadTestEnv.start({ hardware: [] });
  });
  afterAll(() => env?.close());

  test('the robot gets fallback_required before the deadline', async () => {
    const deadlineMs = 4000;
    const started = Date.now();
    const result = await env.offload.submit(
      { task_type: 'vision.frame', payload: image() },
      { policy: { route: ['gpu', 'cpu'], deadlineMs } },
    );
    const wallMs = Date.now() - started;
    expect(result.status).toBe('failed');
    expect(result.meta.fallback_required).toBe(true);
    expect(result.meta.degradation.map((s) => [s.from, s.to, s.reason])).toEqual([
      ['gpu', 'cpu', 'not_picked_up'],
      ['cpu', 'robot', 'not_picked_up'],
    ]);
    expect(result.processing_time_ms).toBeLessThanOrEqual(deadlineMs);
    expect(wallMs).toBeLessThan(deadlineMs + 1500);
    const sa = (await env.client.workflow.getHandle(result.task_id).describe()).typedSearchAttributes;
    expect(sa.get(OutcomeKey)).toBe('fallback');
  });
});
