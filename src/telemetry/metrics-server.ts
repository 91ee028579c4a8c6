import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import type { Registry } from 'prom-client';
import { isProcessSeries } from './metrics-aggregation';

export interface MetricsServerOptions {
  registry: Registry;
  /** 0 picks a free port. */
  port: number;
  /** Bind address (default 0.0.0.0). */
  host?: string;
  /** Temporal SDK metrics (the runtime's Prometheus endpoint), appended to `/metrics`. */
  sdkMetricsUrl?: string;
}

export interface MetricsServer {
  /** `http://<host>:<port>/metrics`, with this machine's name when bound to every interface. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * A worker's metrics endpoint: `GET /metrics` is Prometheus text (this process's series, then the
 * Temporal SDK's `temporal_*` series); `GET /metrics.json` is this process's application series
 * (no `process_*`/`nodejs_*`) as prom-client JSON, which the API adds up across workers.
 */
export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const host = options.host ?? '0.0.0.0';
  const server = createServer((request, response) => {
    handle(options, request, response).catch((err: unknown) => {
      response.writeHead(500, { 'content-type': 'text/plain' }).end(err instanceof Error ? err.message : String(err));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port, host }, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const advertised = host === '0.0.0.0' || host === '::' ? hostname() : host;
  return {
    url: `http://${advertised}:${port}/metrics`,
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function handle(options: MetricsServerOptions, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = (request.url ?? '/').split('?')[0];
  if (request.method !== 'GET') {
    response.writeHead(405).end();
  } else if (path === '/metrics') {
    const own = await options.registry.metrics();
    const sdk = options.sdkMetricsUrl ? await fetchText(options.sdkMetricsUrl) : '';
    response.writeHead(200, { 'content-type': options.registry.contentType }).end(sdk ? `${own.trimEnd()}\n${sdk}` : own);
  } else if (path === '/metrics.json') {
    const metrics = (await options.registry.getMetricsAsJSON()).filter((metric) => !isProcessSeries(metric.name));
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(metrics));
  } else {
    response.writeHead(404, { 'content-type': 'text/plain' }).end('try /metrics');
  }
}

async function fetchText(url: string): Promise<string> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
    return response.ok ? await response.text() : `# Temporal SDK metrics: ${url} answered ${response.status}\n`;
  } catch (err) {
    return `# Temporal SDK metrics unavailable at ${url}: ${err instanceof Error ? err.message : String(err)}\n`;
  }
}
