import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * A Prometheus registry for one process: the Node process series (`process_*`, `nodejs_*`) plus,
 * once `createOffloadMetrics` has run on it, Offload's own series.
 */
export function createMetricsRegistry(options: { processMetrics?: boolean } = {}): Registry {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  return registry;
}
