import type { Sink, Sinks } from '@temporalio/workflow';
import type { DeliveryStatus, TaskOutcome } from '../../shared/outcome';
import type { DegradationReason } from '../../shared/task';
import type { Hardware, TaskType } from '../../shared/task-types';

/** How one activity call of the ladder on a hardware queue ended, as the workflow saw it. */
export type StepOutcome = 'completed' | 'not_picked_up' | 'failed' | 'deadline' | 'model_not_installed' | 'invalid_input' | 'cancelled';

export interface StepReport {
  task_id: string;
  task_type: TaskType;
  hardware: Hardware;
  activity: string;
  outcome: StepOutcome;
  /** Workflow time from scheduling the activity to its outcome. */
  duration_ms: number;
}

/** A finished task: what the workflow returned (or threw), without its result content. */
export interface TaskReport {
  task_id: string;
  task_type: TaskType;
  robot_id?: string;
  priority: number;
  outcome: TaskOutcome;
  status: 'completed' | 'failed';
  /** Hardware that produced the result, else the last one tried, else `none`. */
  provider: Hardware | 'none';
  model?: string;
  processing_time_ms: number;
  attempts: number;
  fallback_required: boolean;
  degradation: Array<{ from: Hardware; to: Hardware | 'robot'; reason: DegradationReason; at_ms: number }>;
  /** The ladder gave up because the deadline ran out (not because every hardware was tried). */
  deadline_exhausted: boolean;
  error_type?: string;
  /** For runs started by the robot bridge: what became of the result's delivery. */
  delivery?: DeliveryStatus;
}

/** What the workflow telemetry interceptors send out of the sandbox. */
export interface OffloadTelemetrySink extends Sink {
  stepFinished(step: StepReport): void;
  taskFinished(task: TaskReport): void;
}

export interface OffloadTelemetrySinks extends Sinks {
  offloadTelemetry: OffloadTelemetrySink;
}
