import { HARDWARE_CLASSES } from '../shared/task-types';
import { BREAKER_STATE_CODE, type BreakerBoard } from './breaker-board';
import type { BusPublisher } from './bus-publisher';
import type { Logger } from './logger';
import type { QueueProbe, QueueSnapshot } from './queue-probe';
import type { TaskReport } from './workflow/telemetry-sinks';

/** The PC's own topics on the robot bus (operators subscribe; no robot code does). */
export const TELEMETRY_TOPICS = {
  taskCompleted: 'telemetry.task.completed',
  providerStatus: 'telemetry.provider.status',
  queueMetrics: 'telemetry.queue.metrics',
} as const;

const seconds = (ms: number) => ms / 1000;

/** `telemetry.task.completed`: a summary of the result, never its content (no transcript, text, audio or boxes). */
export function taskCompletedMessage(report: TaskReport, ids: { workflow_id: string; run_id: string }, nowMs = Date.now()) {
  return {
    ts: seconds(nowMs),
    task_id: report.task_id,
    task_type: report.task_type,
    robot_id: report.robot_id ?? null,
    status: report.status,
    outcome: report.outcome,
    provider: report.provider,
    model: report.model ?? null,
    processing_time_ms: report.processing_time_ms,
    attempts: report.attempts,
    priority: report.priority,
    fallback_required: report.fallback_required,
    degradation: report.degradation,
    deadline_exhausted: report.deadline_exhausted,
    error_type: report.error_type ?? null,
    delivery: report.delivery ?? null,
    workflow_id: ids.workflow_id,
    run_id: ids.run_id,
  };
}

/** `telemetry.provider.status`: per hardware queue, its breaker and whether a worker serves it. */
export function providerStatusMessage(breakers: BreakerBoard, queues: QueueSnapshot[], nowMs = Date.now()) {
  const snapshot = breakers.snapshot();
  return {
    ts: seconds(nowMs),
    providers: HARDWARE_CLASSES.map((hardware) => {
      const queue = queues.find((q) => q.hardware === hardware);
      return {
        provider: hardware,
        queue_name: queue?.queue_name ?? null,
        initialized: (queue?.pollers ?? 0) > 0,
        workers: queue?.pollers ?? 0,
        circuit_breaker: snapshot[hardware].state,
        circuit_breaker_state: BREAKER_STATE_CODE[snapshot[hardware].state],
        consecutive_failures: snapshot[hardware].consecutiveFailures,
      };
    }),
  };
}

/** `telemetry.queue.metrics`: backlog and workers of every Offload task queue. */
export function queueMetricsMessage(queues: QueueSnapshot[], nowMs = Date.now()) {
  return {
    ts: seconds(nowMs),
    queues: queues.map((q) => ({ queue_name: q.queue_name, kind: q.kind, hardware: q.hardware ?? null, size: q.backlog, workers: q.pollers })),
  };
}

export interface StatusPublisherOptions {
  bus: BusPublisher;
  breakers: BreakerBoard;
  probe: QueueProbe;
  intervalMs: number;
  log?: Logger;
}

/** Publishes provider status and queue metrics every `intervalMs` (the first right away); returns a stop function. */
export function startStatusPublisher(options: StatusPublisherOptions): () => Promise<void> {
  let running: Promise<void> = Promise.resolve();
  const publishOnce = async () => {
    try {
      const queues = await options.probe.snapshot();
      options.bus.publish(TELEMETRY_TOPICS.providerStatus, providerStatusMessage(options.breakers, queues));
      options.bus.publish(TELEMETRY_TOPICS.queueMetrics, queueMetricsMessage(queues));
    } catch (err) {
      options.log?.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not read the task queues for telemetry');
    }
  };
  const tick = () => {
    running = running.then(publishOnce);
  };
  tick();
  const timer = setInterval(tick, options.intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
