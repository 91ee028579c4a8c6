import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from './logger';

const PINO_LEVEL: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

export interface RuntimeTelemetryOptions {
  /**
   * Serve the SDK's own metrics (`temporal_*`: poll latencies, slots, task counts, schedule-to-start
   * latency...) in Prometheus format at `http://<address>/metrics`, e.g. `127.0.0.1:9465`.
   */
  sdkMetricsAddress?: string;
}

/**
 * Sends the Temporal SDK's own logs through the process's structured logger and, when asked, exposes
 * the SDK's metrics through `telemetryOptions.metrics.prometheus`. Call once, before any worker.
 */
export function installRuntime(log: Logger, level: LogLevel = 'WARN', options: RuntimeTelemetryOptions = {}): void {
  Runtime.install({
    // Liveness for the robot's capabilities: a killed worker misses its heartbeats within seconds.
    workerHeartbeatInterval: '2s',
    logger: new DefaultLogger(level, (entry) => {
      log[PINO_LEVEL[entry.level]]({ ...entry.meta, sdk: true }, entry.message);
    }),
    ...(options.sdkMetricsAddress
      ? { telemetryOptions: { metrics: { prometheus: { bindAddress: options.sdkMetricsAddress, countersTotalSuffix: true, useSecondsForDurations: true } } } }
      : {}),
  });
}
