import { loadConfig, type OffloadConfig } from '../config/load-config';
import { createLogger, type Logger } from '../telemetry/logger';
import { startConfiguredTracing, type Tracing } from '../telemetry/tracing';
import { startWorkerObservability, type WorkerObservability } from '../telemetry/worker-observability';

/** Stops a process gracefully: no new work, in-flight work finishes, then everything closes. */
export type StopProcess = (signal: NodeJS.Signals) => Promise<void>;

/** What a process main gets from {@link runProcess}. */
export interface ProcessContext {
  /** Everything the process reads from its environment. */
  readonly config: OffloadConfig;
  /** The process's JSON logger named `role`, at OFFLOAD_LOG_LEVEL, payload fields removed unless OFFLOAD_LOG_PAYLOADS. */
  logger(role: string): Logger;
  /**
   * A worker-like process's logger and observability: the Temporal runtime, Offload's metrics and
   * their /metrics server, tracing as `offload-<role>`. The process closes `observability` as it stops.
   */
  workerTelemetry(role: string): Promise<{ log: Logger; observability: WorkerObservability }>;
  /** Tracing alone (the API), as `offload-<role>`, when the config turns it on. */
  tracing(role: string): Tracing | undefined;
  /**
   * Runs `stop` on the first SIGINT or SIGTERM (later ones wait for it), then exits: 0, or 1 with
   * the failure line when it throws. Workers need none: the Temporal SDK drains them on those signals.
   */
  stopOnSignal(stop: StopProcess): void;
}

/** Options for {@link runProcess}. */
export interface ProcessOptions {
  /** Exit code for the error that ends the process. Default: 1. */
  exitCode?: (error: unknown) => number;
}

/**
 * Runs a process's main with its config and the shared start-up pieces. When it fails (a bad
 * setting included), the process prints one line, `<failure> <message>` without a stack, and exits 1.
 */
export function runProcess(failure: string, main: (context: ProcessContext) => Promise<void>, options: ProcessOptions = {}): void {
  const fail = (error: unknown): void => {
    console.error([failure, error instanceof Error ? error.message : String(error)].filter(Boolean).join(' '));
    process.exit(options.exitCode?.(error) ?? 1);
  };
  (async () => main(processContext(loadConfig(), fail)))().catch(fail);
}

function processContext(config: OffloadConfig, fail: (error: unknown) => void): ProcessContext {
  const logger = (role: string) => createLogger(role, config.logLevel, { logPayloads: config.telemetry.logPayloads });
  return {
    config,
    logger,
    async workerTelemetry(role) {
      const log = logger(role);
      return { log, observability: await startWorkerObservability(role, config, log) };
    },
    tracing: (role) => startConfiguredTracing(config.telemetry.tracing, `offload-${role}`),
    stopOnSignal(stop) {
      let stopping = false;
      const onSignal = (signal: NodeJS.Signals) => {
        if (stopping) return;
        stopping = true;
        stop(signal).then(() => process.exit(0), fail);
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    },
  };
}
