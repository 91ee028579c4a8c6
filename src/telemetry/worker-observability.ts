import { findFreePort } from '../../temporal/free-port';
import type { OffloadConfig } from '../config/load-config';
import { installRuntime } from './install-runtime';
import type { Logger } from './logger';
import { createMetricsRegistry } from './metrics';
import { startMetricsServer, type MetricsServer } from './metrics-server';
import { createOffloadMetrics, type OffloadMetrics } from './offload-metrics';
import { startConfiguredTracing, type Tracing } from './tracing';
import { workerIdentity } from './worker-identity';

export interface WorkerObservability {
  metrics: OffloadMetrics;
  /** The worker's Temporal identity, with its metrics URL (how the API finds it). */
  identity: string;
  metricsServer?: MetricsServer;
  /** What to log about telemetry (once the worker polls: a worker's first log line says other things). */
  summary: { metrics: string; sdkMetrics: boolean; tracing: boolean };
  /** Set when tracing is on. */
  tracing?: Tracing;
  close(): Promise<void>;
}

/**
 * What every worker process sets up first: the Temporal runtime (SDK logs into pino, SDK metrics on
 * a loopback port), Offload's metrics and the /metrics server, and tracing when it is on. It logs
 * nothing; log `summary` with the worker's "polling" line.
 */
export async function startWorkerObservability(role: string, config: OffloadConfig, log: Logger): Promise<WorkerObservability> {
  const { telemetry } = config;
  const serveMetrics = telemetry.workerMetricsPort !== 'off';
  const sdkMetricsAddress = serveMetrics && telemetry.sdkMetrics ? `127.0.0.1:${await findFreePort()}` : undefined;
  installRuntime(log, 'WARN', { sdkMetricsAddress });
  const metrics = createOffloadMetrics(createMetricsRegistry());
  const metricsServer = serveMetrics
    ? await startMetricsServer({
        registry: metrics.registry,
        port: telemetry.workerMetricsPort as number,
        host: telemetry.workerMetricsHost,
        sdkMetricsUrl: sdkMetricsAddress ? `http://${sdkMetricsAddress}/metrics` : undefined,
      })
    : undefined;
  const tracing = startConfiguredTracing(telemetry.tracing, `offload-${role}`);
  return {
    metrics,
    identity: workerIdentity(role, metricsServer?.url),
    metricsServer,
    summary: { metrics: metricsServer?.url ?? 'off', sdkMetrics: sdkMetricsAddress !== undefined, tracing: tracing !== undefined },
    tracing,
    async close() {
      await metricsServer?.close();
      await tracing?.shutdown();
    },
  };
}
