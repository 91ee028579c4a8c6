import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { Registry } from 'prom-client';
import { createBridgeActivities } from '../../../src/bridge/bridge-activities';
import { testBridgeDeps } from '../../harness/bridge-activity-deps';
import { createBridgeMetrics } from '../../../src/bridge/bridge-metrics';
import { robotTopicOf } from '../../../src/bridge/result-messages';
import type { DeliveryInput, DeliverySpec } from '../../../src/shared/delivery';
import { ErrorType } from '../../../src/shared/errors';
import type { TaskResult } from '../../../src/shared/task';
import { deliveryTelemetryInterceptors } from '../../../src/telemetry/activity/delivery-telemetry';
import { createLogger } from '../../../src/telemetry/logger';
import { parsePrometheusText, valueOf } from '../../harness/prom-text';

const NOW = 1_000_000;

function bridge() {
  const registry = new Registry();
  const metrics = createBridgeMetrics(registry, createLogger('test', 'silent'));
  const published: unknown[] = [];
  const activities = createBridgeActivities(testBridgeDeps(published, NOW));
  const env = new MockActivityEnvironment(
    { activityType: 'deliverResult' },
    { interceptors: [deliveryTelemetryInterceptors({ metrics, topicOf: robotTopicOf })], logger: new DefaultLogger('ERROR', () => undefined) },
  );
  const deliver = (input: DeliveryInput) => env.run(activities.deliverResult, input);
  const counted = async (labels: Record<string, string>) => valueOf(parsePrometheusText(await registry.metrics()), 'bridge_deliveries_total', labels);
  const latencies = async () => valueOf(parsePrometheusText(await registry.metrics()), 'bridge_delivery_latency_seconds_count', { topic: 'voice.asr.result' });
  return { deliver, counted, latencies, published };
}

function input(taskId: string, delivery: Partial<DeliverySpec> = {}): DeliveryInput {
  const result: TaskResult = {
    task_id: taskId,
    status: 'completed',
    result: { text: 'hello', language: 'en', confidence: 0.9 },
    error: null,
    processing_time_ms: 80,
    meta: { task_type: 'voice.asr', priority: 5, attempts: 1, degradation: [], fallback_required: false, deadline_ms: 5000, timings: {} },
  };
  return { delivery: { taskQueue: 'q', robotId: 'rider-1', receivedAt: NOW - 150, deliverBy: NOW + 1000, ...delivery }, result };
}

test('the interceptor counts what each deliverResult returned: delivered (with its latency), duplicate, stale', async () => {
  const t = bridge();
  await expect(t.deliver(input('asr-1'))).resolves.toMatchObject({ status: 'delivered', messages: 1, latency_ms: 150 });
  await expect(t.deliver(input('asr-1'))).resolves.toMatchObject({ status: 'delivered', messages: 0, duplicate: true });
  await expect(t.deliver(input('asr-2', { deliverBy: NOW - 1 }))).resolves.toMatchObject({ status: 'stale' });
  expect(t.published).toHaveLength(1);
  const topic = 'voice.asr.result';
  expect([await t.counted({ topic, status: 'delivered' }), await t.counted({ topic, status: 'duplicate' }), await t.counted({ topic, status: 'stale' })]).toEqual([1, 1, 1]);
  expect(await t.latencies()).toBe(1);
});

test('a delivery that fails (a result for another robot) is counted as failed and still fails', async () => {
  const t = bridge();
  await expect(t.deliver(input('asr-3', { robotId: 'rider-2' }))).rejects.toThrow(/got a result for robot rider-2/);
  expect(await t.counted({ topic: 'voice.asr.result', status: 'failed' })).toBe(1);
  expect(await t.counted({})).toBe(1);
});

test('a result the robot has no topic for passes the interceptor uncounted and fails as a non-retryable BadResult', async () => {
  const t = bridge();
  const text = input('nlu-1');
  text.result.meta.task_type = 'text.nlu';
  const failure = await t.deliver(text).then(() => undefined, (err: unknown) => err);
  expect(failure).toMatchObject({ type: ErrorType.BadResult, nonRetryable: true });
  expect((failure as Error).message).toMatch(/no topic for text\.nlu results/);
  expect(await t.counted({})).toBe(0);
  expect(t.published).toHaveLength(0);
});
