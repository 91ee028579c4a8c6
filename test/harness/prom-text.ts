/** One sample of the Prometheus text format. */
export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface PromPage {
  samples: PromSample[];
  /** Metric family -> type, from the `# TYPE` lines. */
  types: Map<string, string>;
}

/** A small parser of the Prometheus text exposition format (what /metrics serves). */
export function parsePrometheusText(text: string): PromPage {
  const samples: PromSample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line.startsWith('# TYPE ')) {
      const [name, type] = line.slice(7).split(' ');
      types.set(name, type);
      continue;
    }
    if (!line.trim() || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (match[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]] = pair[2];
    samples.push({ name: match[1], labels, value: Number(match[4]) });
  }
  return { samples, types };
}

/** Samples of one series, optionally only those whose labels include `labels`. */
export function samplesOf(page: PromPage, name: string, labels: Record<string, string> = {}): PromSample[] {
  return page.samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

/** The sum of the values of matching samples (0 when none). */
export function valueOf(page: PromPage, name: string, labels: Record<string, string> = {}): number {
  return samplesOf(page, name, labels).reduce((sum, s) => sum + s.value, 0);
}
