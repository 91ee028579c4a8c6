import { spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { parse } from 'yaml';
import { OFFLOAD_SERIES } from '../../../src/telemetry/offload-metrics';
import { loadCompose, repoFileExists, repoPath, volumesOf } from '../../harness/compose-file';

/** promtool: $PROMTOOL, the PATH, or where `.ci/run` unpacks the Debian package `prometheus` (the cache). */
function findPromtool(): string {
  const cache = process.env.OFFLOAD_CACHE_DIR ?? join(homedir(), '.cache', 'offload');
  const candidates = [
    process.env.PROMTOOL,
    ...(process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'promtool')),
    join(cache, 'prometheus', 'usr', 'bin', 'promtool'),
  ];
  for (const candidate of candidates) {
    if (!candidate) continue;
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // next
    }
  }
  throw new Error('promtool not found: run .ci/run (it unpacks the Debian package prometheus into the cache), install it, or set PROMTOOL=/path/to/promtool');
}

function promtool(...args: string[]): { code: number | null; output: string } {
  const run = spawnSync(findPromtool(), args, { cwd: repoPath('deploy/prometheus'), encoding: 'utf8', timeout: 60_000 });
  return { code: run.status, output: `${run.stdout}${run.stderr}` };
}

/** Metric names used in a PromQL expression (identifiers followed by `{`, `[`, `)` or spaces, minus functions and keywords). */
function metricNames(expr: string): string[] {
  const withoutLabels = expr.replace(/\{[^}]*\}/g, ' ').replace(/\[[^\]]*\]/g, ' ').replace(/"[^"]*"/g, ' ');
  const words = withoutLabels.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? [];
  const promql = new Set(['sum', 'max', 'min', 'avg', 'by', 'without', 'rate', 'increase', 'deriv', 'histogram_quantile', 'and', 'or', 'unless', 'on', 'ignoring', 'le', 'clamp_min']);
  const labels = new Set(['provider', 'task_type', 'status', 'queue_name', 'outcome', 'from', 'to', 'reason', 'stage', 'model', 'token_type', 'error_type', 'cache_type', 'source', 'topic', 'task_queue', 'job', 'instance']);
  return words.filter((w) => !promql.has(w) && !labels.has(w) && !/^\d/.test(w) && !w.startsWith('__'));
}

function knownSeries(name: string): boolean {
  const base = name.replace(/_(bucket|count|sum)$/, '');
  return (OFFLOAD_SERIES as readonly string[]).includes(base) || (OFFLOAD_SERIES as readonly string[]).includes(name) || name === 'up' || name.startsWith('temporal_');
}

describe('Prometheus', () => {
  test('promtool check config passes on deploy/prometheus/prometheus.yml (and the rule file it loads)', () => {
    const { code, output } = promtool('check', 'config', 'prometheus.yml');
    expect([code, output]).toEqual([0, expect.stringContaining('SUCCESS')]);
  });

  test('promtool check rules passes on the alert rules', () => {
    const { code, output } = promtool('check', 'rules', 'alerts.yml');
    expect([code, output]).toEqual([0, expect.stringContaining('SUCCESS: 5 rules found')]);
  });

  test('promtool test rules: each alert fires on the series that should trigger it', () => {
    const { code, output } = promtool('test', 'rules', 'alerts.test.yml');
    expect([code, output]).toEqual([0, expect.stringContaining('SUCCESS')]);
  });

  test('alerts cover breaker open, backlog growing, deadline drops and workers down, on series Offload exports', () => {
    const rules = (parse(readFileSync(repoPath('deploy/prometheus/alerts.yml'), 'utf8')) as { groups: Array<{ rules: Array<{ alert: string; expr: string }> }> }).groups.flatMap((g) => g.rules);
    expect(rules.map((r) => r.alert)).toEqual(expect.arrayContaining(['OffloadCircuitBreakerOpen', 'OffloadBacklogGrowing', 'OffloadDeadlineDrops', 'OffloadWorkerDown']));
    for (const rule of rules) for (const name of metricNames(rule.expr)) expect([rule.alert, name, knownSeries(name)]).toEqual([rule.alert, name, true]);
  });

  test('the API is scraped without its aggregation (no series twice) and every worker on its metrics port', () => {
    const config = parse(readFileSync(repoPath('deploy/prometheus/prometheus.yml'), 'utf8')) as {
      scrape_configs: Array<{ job_name: string; params?: Record<string, string[]>; static_configs: Array<{ targets: string[] }> }>;
    };
    const api = config.scrape_configs.find((c) => c.job_name === 'offload-api');
    expect(api?.params).toEqual({ aggregate: ['false'] });
    const workers = config.scrape_configs.find((c) => c.job_name === 'offload-workers')?.static_configs.flatMap((s) => s.targets);
    expect(workers).toEqual(['workflow-worker:9464', 'worker-cpu:9464', 'worker-gpu:9464', 'bridge:9464']);
  });
});

describe('Grafana', () => {
  const dashboard = JSON.parse(readFileSync(repoPath('deploy/grafana/dashboards/offload.json'), 'utf8')) as {
    uid: string;
    panels: Array<{ type: string; title: string; datasource?: { uid: string }; targets?: Array<{ expr: string }> }>;
  };
  const graphs = dashboard.panels.filter((p) => p.type !== 'row');

  test('the dashboard has throughput, latency percentiles per task type, degradation and backlog panels', () => {
    const titles = graphs.map((p) => p.title).join('\n');
    expect(titles).toMatch(/Tasks finished per second, by task type/);
    expect(titles).toMatch(/End-to-end latency by task type \(p50, p95, p99\)/);
    expect(titles).toMatch(/Degradation steps/);
    expect(titles).toMatch(/Task queue backlog/);
    const latency = graphs.find((p) => p.title.startsWith('End-to-end latency'));
    expect(latency?.targets?.map((t) => /histogram_quantile\((0\.\d+)/.exec(t.expr)?.[1])).toEqual(['0.5', '0.95', '0.99']);
  });

  test('every panel queries the provisioned datasource and only series Offload, Temporal or Prometheus export', () => {
    const datasources = parse(readFileSync(repoPath('deploy/grafana/provisioning/datasources/prometheus.yaml'), 'utf8')) as { datasources: Array<{ uid: string }> };
    const uid = datasources.datasources[0].uid;
    for (const panel of graphs) {
      expect([panel.title, panel.datasource?.uid]).toEqual([panel.title, uid]);
      for (const target of panel.targets ?? []) for (const name of metricNames(target.expr)) expect([panel.title, name, knownSeries(name)]).toEqual([panel.title, name, true]);
    }
  });

  test('docker-compose provisions the dashboard and the alert rules where Grafana and Prometheus read them', () => {
    const compose = loadCompose();
    const provider = parse(readFileSync(repoPath('deploy/grafana/provisioning/dashboards/offload.yaml'), 'utf8')) as { providers: Array<{ options: { path: string } }> };
    const grafanaMounts = volumesOf(compose.services.grafana);
    expect(grafanaMounts).toContainEqual({ source: './deploy/grafana/provisioning', target: '/etc/grafana/provisioning', bind: true });
    expect(grafanaMounts).toContainEqual({ source: './deploy/grafana/dashboards', target: provider.providers[0].options.path, bind: true });
    expect(repoFileExists('deploy/grafana/dashboards/offload.json')).toBe(true);
    expect(volumesOf(compose.services.prometheus)).toContainEqual({ source: './deploy/prometheus/alerts.yml', target: '/etc/prometheus/alerts.yml', bind: true });
  });
});
