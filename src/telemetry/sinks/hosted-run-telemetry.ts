import type { OffloadConfig } from '../../config/load-config';
import { BreakerBoard } from '../breaker-board';
import { createBusPublisher } from '../bus-publisher';
import type { Logger } from '../logger';
import type { OffloadMetrics } from '../offload-metrics';
import type { Tracing } from '../tracing';
import { createTaskTelemetry } from './task-telemetry';
import type { WorkflowHosting } from './workflow-modules';

/**
 * Telemetry of the runs a process hosts besides the workflow worker (the fast path's bridge and
 * API): what the workflow worker reports for its runs (metrics, breakers, `telemetry.*` topics).
 */
export function hostedRunTelemetry(config: Pick<OffloadConfig, 'robot' | 'telemetry'>, log: Logger, metrics: OffloadMetrics, tracing?: Tracing): { hosting: WorkflowHosting; close(): Promise<void> } {
  const { robot, telemetry } = config;
  const breakers = new BreakerBoard({ failureWindowMs: telemetry.breakerWindowMs, openMs: telemetry.breakerOpenMs });
  metrics.setGaugeSources({ breakers: () => breakers.states() });
  const bus = telemetry.busTelemetry ? createBusPublisher({ endpoint: `tcp://${robot.host}:${robot.pubPort}`, curve: robot.curve, log }) : undefined;
  return {
    hosting: { tasks: createTaskTelemetry({ metrics, breakers, bus, log }), tracing },
    close: async () => bus?.close(),
  };
}
