import { HARDWARE_CLASSES, type Hardware } from '../shared/task-types';
import { aggregateMetrics, fetchPeerMetrics } from './metrics-aggregation';
import type { OffloadMetrics } from './offload-metrics';
import type { QueueProbe, QueueSnapshot } from './queue-probe';
import { metricsUrlOf } from './worker-identity';

export interface ApiTelemetryOptions {
  /** The API process's series (`createOffloadMetrics` on its registry). */
  metrics: OffloadMetrics;
  probe: QueueProbe;
  /**
   * Live inference workers per hardware (worker heartbeats, `createLiveWorkerProbe`): they tell a
   * stopped worker within seconds. Without it `provider_initialized` follows the queues' pollers,
   * which stay listed for up to 70 s after a worker stops.
   */
  liveWorkers?: () => Promise<Record<Hardware, number>>;
  /** A snapshot of the task queues is reused for this long (one scrape reads it several times; default 1 s). */
  snapshotTtlMs?: number;
}

export interface ApiTelemetry {
  readonly metrics: OffloadMetrics;
  readonly contentType: string;
  /** This process's own series: what Prometheus scrapes (`/metrics?aggregate=false`). */
  local(): Promise<string>;
  /** Own series plus the application series of every worker polling Offload's queues (`/metrics`). */
  aggregated(): Promise<string>;
}

/**
 * The API's metrics: task queue sizes and initialized providers read from the Temporal server when
 * scraped, and the workers' series (found through the metrics URL in their poller identity) added up.
 */
export function createApiTelemetry(options: ApiTelemetryOptions): ApiTelemetry {
  const { metrics } = options;
  const ttl = options.snapshotTtlMs ?? 1000;
  let cached: { at: number; snapshot: Promise<QueueSnapshot[]> } | undefined;
  const snapshot = (): Promise<QueueSnapshot[]> => {
    if (!cached || Date.now() - cached.at > ttl) {
      cached = { at: Date.now(), snapshot: options.probe.snapshot() };
      cached.snapshot.catch(() => (cached = undefined));
    }
    return cached.snapshot;
  };
  metrics.setGaugeSources({
    queueSizes: async () => Object.fromEntries((await snapshot()).map((q) => [q.queue_name, q.backlog])),
    initializedProviders: async () => {
      if (options.liveWorkers) {
        const live = await options.liveWorkers();
        return Object.fromEntries(HARDWARE_CLASSES.map((hw) => [hw, (live[hw] ?? 0) > 0])) as Record<Hardware, boolean>;
      }
      const queues = await snapshot();
      return Object.fromEntries(HARDWARE_CLASSES.map((hw) => [hw, queues.some((q) => q.hardware === hw && q.pollers > 0)])) as Record<Hardware, boolean>;
    },
  });
  return {
    metrics,
    contentType: metrics.registry.contentType,
    local: () => metrics.registry.metrics(),
    async aggregated() {
      const queues = await snapshot().catch((): QueueSnapshot[] => []);
      const urls = queues.flatMap((q) => q.identities.map(metricsUrlOf)).filter((url): url is string => url !== undefined);
      return aggregateMetrics(metrics.registry, await fetchPeerMetrics(urls));
    },
  };
}
