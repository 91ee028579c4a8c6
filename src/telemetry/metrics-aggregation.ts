import { AggregatorRegistry, type Registry } from 'prom-client';
import { OFFLOAD_SERIES } from './offload-metrics';

type MetricsJson = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;

export interface PeerMetrics {
  url: string;
  metrics?: MetricsJson;
  error?: string;
}

/** Reads the Offload series of other processes from their `/metrics.json` (next to the `/metrics` URL given). */
export async function fetchPeerMetrics(metricsUrls: string[], timeoutMs = 2000): Promise<PeerMetrics[]> {
  const names = new Set<string>(OFFLOAD_SERIES);
  return Promise.all(
    [...new Set(metricsUrls)].map(async (url) => {
      try {
        const response = await fetch(`${url}.json`, { signal: AbortSignal.timeout(timeoutMs) });
        if (!response.ok) return { url, error: `HTTP ${response.status}` };
        const metrics = ((await response.json()) as MetricsJson).filter((metric) => names.has(metric.name));
        return { url, metrics };
      } catch (err) {
        return { url, error: err instanceof Error ? err.message : String(err) };
      }
    }),
  );
}

/**
 * This process's series plus the Offload series of its peers, added up per label set (counters and
 * histograms summed; breaker state, queue size and provider_initialized take the maximum).
 * Peers that did not answer are listed in a comment at the end.
 */
export async function aggregateMetrics(own: Registry, peers: PeerMetrics[]): Promise<string> {
  const answered = peers.filter((peer) => peer.metrics).map((peer) => peer.metrics as MetricsJson);
  const aggregated = AggregatorRegistry.aggregate([await own.getMetricsAsJSON(), ...answered]);
  const silent = peers.filter((peer) => peer.error).map((peer) => `# peer ${peer.url} not included: ${peer.error}`);
  const text = await aggregated.metrics();
  return silent.length ? `${text.trimEnd()}\n${silent.join('\n')}\n` : text;
}
