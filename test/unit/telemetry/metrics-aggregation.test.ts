import { createMetricsRegistry } from '../../../src/telemetry/metrics';
import { aggregateMetrics, fetchPeerMetrics } from '../../../src/telemetry/metrics-aggregation';
import { startMetricsServer, type MetricsServer } from '../../../src/telemetry/metrics-server';
import { createOffloadMetrics } from '../../../src/telemetry/offload-metrics';
import { metricsUrlOf, workerIdentity } from '../../../src/telemetry/worker-identity';
import { parsePrometheusText, samplesOf, valueOf } from '../../harness/prom-text';

const servers: MetricsServer[] = [];
afterAll(async () => {
  for (const server of servers) await server.close();
});

async function worker(record: (metrics: ReturnType<typeof createOffloadMetrics>) => void): Promise<string> {
  const metrics = createOffloadMetrics(createMetricsRegistry());
  record(metrics);
  const server = await startMetricsServer({ registry: metrics.registry, port: 0, host: '127.0.0.1' });
  servers.push(server);
  return server.url;
}

test('a worker identity carries its metrics URL, and the URL can be read back', () => {
  const identity = workerIdentity('cpu-worker', 'http://10.0.0.7:9464/metrics');
  expect(identity).toMatch(/^\d+@\S+ cpu-worker http:\/\/10\.0\.0\.7:9464\/metrics$/);
  expect(metricsUrlOf(identity)).toBe('http://10.0.0.7:9464/metrics');
  expect(metricsUrlOf('1234@host')).toBeUndefined();
});

test("the API adds its peers' series up over HTTP: counters and histograms summed, breaker state by maximum", async () => {
  const a = await worker((m) => {
    m.providerTasksProcessed.inc({ provider: 'cpu', task_type: 'vision.detection', status: 'completed' }, 3);
    m.providerTaskDuration.observe({ provider: 'cpu', task_type: 'vision.detection' }, 0.2);
    m.breakerState.set({ provider: 'gpu' }, 1);
  });
  const b = await worker((m) => {
    m.providerTasksProcessed.inc({ provider: 'cpu', task_type: 'vision.detection', status: 'completed' }, 2);
    m.providerTaskDuration.observe({ provider: 'cpu', task_type: 'vision.detection' }, 3);
    m.breakerState.set({ provider: 'gpu' }, 2);
  });
  const api = createOffloadMetrics(createMetricsRegistry());
  api.recordMalformedMessage('http', '/v1/tasks');

  const peers = await fetchPeerMetrics([a, b, a, 'http://127.0.0.1:9/metrics'], 1000);
  expect(peers.filter((p) => p.metrics)).toHaveLength(2);
  const page = parsePrometheusText(await aggregateMetrics(api.registry, peers));
  expect(valueOf(page, 'provider_tasks_processed_total', { provider: 'cpu', status: 'completed' })).toBe(5);
  expect(valueOf(page, 'provider_task_duration_seconds_count', { provider: 'cpu' })).toBe(2);
  expect(valueOf(page, 'provider_task_duration_seconds_bucket', { provider: 'cpu', le: '0.25' })).toBe(1);
  expect(valueOf(page, 'circuit_breaker_state', { provider: 'gpu' })).toBe(2);
  expect(valueOf(page, 'offload_malformed_messages_total', { source: 'http' })).toBe(1);
  expect(samplesOf(page, 'process_cpu_seconds_total')).toHaveLength(1);
});

test("a worker's /metrics.json holds its application series, not the process ones; /metrics is Prometheus text", async () => {
  const url = await worker((m) => m.tasks.inc({ task_type: 'voice.asr', outcome: 'completed' }));
  const json = (await (await fetch(`${url}.json`)).json()) as Array<{ name: string }>;
  expect(json.map((m) => m.name)).toContain('offload_tasks_total');
  expect(json.map((m) => m.name).filter((name) => name.startsWith('process_'))).toEqual([]);
  const page = parsePrometheusText(await (await fetch(url)).text());
  expect(valueOf(page, 'offload_tasks_total', { task_type: 'voice.asr', outcome: 'completed' })).toBe(1);
  expect(page.types.get('provider_task_duration_seconds')).toBe('histogram');
});
