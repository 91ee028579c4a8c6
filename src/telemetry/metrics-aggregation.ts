import { AggregatorRegistry, type Registry } from 'prom-client';

type MetricsJson = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;

export interface PeerMetrics {
  url: string;
  metrics?: MetricsJson;
  error?: string;
}

/** Series of one process that make no sense added up across processes (CPU, memory, event loop, start time...). */
export function isProcessSeries(name: string): boolean {
  return /^(process|nodejs|temporal)_/.test(name);
}

/** Reads the application series of other processes from their `/metrics.json` (next to the `/metrics` URL given). */
export async function fetchPeerMetrics(metricsUrls: string[], timeoutMs = 2000): Promise<PeerMetrics[]> {
  return Promise.all(
    [...new Set(metricsUrls)].map(async (url) => {
      try {
        const response = await fetch(`${url}.json`, { signal: AbortSignal.timeout(timeoutMs) });
        if (!response.ok) return { url, error: `HTTP ${response.status}` };
        const metrics = ((await response.json()) as MetricsJson).filter((metric) => !isProcessSeries(metric.name));
        return { url, metrics };
      } catch (err) {
        return { url, error: err instanceof Error ? err.message : String(err) };
      }
    }),
  );
}

/**
 * This process's series plus the application series of its peers (Offload's, the bridge's), added up
 * per label set (counters and histograms summed; breaker state, queue size and provider_initialized
 * take the maximum).
 * Peers that did not answer are listed in a comment at the end.
 */
export async function aggregateMetrics(own: Registry, peers: PeerMetrics[]): Promise<string> {
  const answered = peers.filter((peer) => peer.metrics).map((peer) => peer.metrics as MetricsJson);
  const aggregated = AggregatorRegistry.aggregate([await own.getMetricsAsJSON(), ...answered]);
  const silent = peers.filter((peer) => peer.error).map((peer) => `# peer ${peer.url} not included: ${peer.error}`);
  const text = await aggregated.metrics();
  return silent.length ? `${text.trimEnd()}\n${silent.join('\n')}\n` : text;
}
