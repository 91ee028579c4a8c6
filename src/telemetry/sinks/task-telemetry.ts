import type { WorkflowInfo } from '@temporalio/workflow';
import type { BreakerBoard } from '../breaker-board';
import type { BusPublisher } from '../bus-publisher';
import { taskCompletedMessage, TELEMETRY_TOPICS } from '../bus-telemetry';
import type { Logger } from '../logger';
import type { OffloadMetrics } from '../offload-metrics';
import type { StepReport, TaskReport } from '../workflow/telemetry-sinks';

export interface TaskTelemetryDeps {
  metrics: OffloadMetrics;
  breakers: BreakerBoard;
  /** The robot bus; without it nothing is published. */
  bus?: BusPublisher;
  log: Logger;
}

/** What the workflow worker does with the reports its workflow interceptors send through the sink. */
export interface TaskTelemetry {
  stepFinished(info: WorkflowInfo, step: StepReport): void;
  taskFinished(info: WorkflowInfo, task: TaskReport): void;
}

const BREAKER_FAILURES = new Set<StepReport['outcome']>(['not_picked_up', 'failed', 'deadline']);

export function createTaskTelemetry({ metrics, breakers, bus, log }: TaskTelemetryDeps): TaskTelemetry {
  return {
    stepFinished(info, step) {
      if (step.outcome === 'completed') breakers.recordSuccess(step.hardware);
      if (BREAKER_FAILURES.has(step.outcome)) {
        breakers.recordFailure(step.hardware);
        metrics.breakerFailures.inc({ provider: step.hardware });
      }
      if (step.outcome === 'not_picked_up') metrics.taskQueueFull.inc();
      log.debug(
        { task_id: step.task_id, workflow_id: info.workflowId, run_id: info.runId, task_type: step.task_type, hardware: step.hardware, outcome: step.outcome, duration_ms: step.duration_ms },
        'ladder step finished',
      );
    },

    taskFinished(info, task) {
      const { task_type, outcome } = task;
      metrics.recordTaskFinished(task_type, outcome, task.processing_time_ms / 1000);
      for (const step of task.degradation) metrics.degradationSteps.inc({ task_type, from: step.from, to: step.to, reason: step.reason });
      if (task.deadline_exhausted) metrics.recordDeadlineDrop(task_type, 'ladder');
      if (task.delivery) metrics.recordDelivery(task_type, task.delivery);
      if (task.delivery === 'stale') metrics.recordDeadlineDrop(task_type, 'delivery');
      bus?.publish(TELEMETRY_TOPICS.taskCompleted, taskCompletedMessage(task, { workflow_id: info.workflowId, run_id: info.runId }));
      const fields = {
        task_id: task.task_id,
        workflow_id: info.workflowId,
        run_id: info.runId,
        robot_id: task.robot_id,
        task_type,
        outcome,
        provider: task.provider,
        model: task.model,
        processing_time_ms: task.processing_time_ms,
        degradation_steps: task.degradation.length,
        ...(task.delivery ? { delivery: task.delivery } : {}),
        ...(task.error_type ? { error_type: task.error_type } : {}),
      };
      if (outcome === 'completed') log.info(fields, 'task finished');
      else log.warn(fields, `task finished: ${outcome}`);
    },
  };
}
