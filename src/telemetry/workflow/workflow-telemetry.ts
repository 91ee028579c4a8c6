/**
 * Workflow interceptors (they run inside the workflow sandbox): they watch every ladder step and the
 * task's result and hand reports to the worker through the `offloadTelemetry` sink. Sinks are not
 * called on replay, so a task is reported once, when it really finishes.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancelledFailure,
  proxySinks,
  TemporalFailure,
  TimeoutFailure,
  type ActivityInput,
  type Next,
  type WorkflowExecuteInput,
  type WorkflowInboundCallsInterceptor,
  type WorkflowInterceptorsFactory,
  type WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';
import { TimeoutType } from '@temporalio/common';
import type { DeliveryOutcome } from '../../shared/delivery';
import { ErrorType, REQUEST_ERROR_TYPES } from '../../shared/errors';
import type { TaskEnvelope, TaskResult } from '../../shared/task';
import { HARDWARE_CLASSES, type Hardware } from '../../shared/task-types';
import type { OffloadTelemetrySinks, StepOutcome, TaskReport } from './telemetry-sinks';

const { offloadTelemetry } = proxySinks<OffloadTelemetrySinks>();

type TaskIdentity = Pick<TaskEnvelope, 'task_id' | 'task_type' | 'priority'> & { robot_id?: string };

interface RunState {
  task?: TaskIdentity;
  lastHardware?: Hardware;
}

export const interceptors: WorkflowInterceptorsFactory = () => {
  const state: RunState = {};
  return { inbound: [new TaskTelemetryInbound(state)], outbound: [new StepTelemetryOutbound(state)] };
};

class TaskTelemetryInbound implements WorkflowInboundCallsInterceptor {
  constructor(private readonly state: RunState) {}

  async execute(input: WorkflowExecuteInput, next: Next<WorkflowInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    const task = taskOf(input.args[0]);
    if (!task) return next(input);
    this.state.task = task;
    const startedAt = Date.now();
    try {
      const result = await next(input);
      offloadTelemetry.taskFinished(reportOfResult(task, result as TaskResult, this.state.lastHardware));
      return result;
    } catch (err) {
      if (err instanceof TemporalFailure) offloadTelemetry.taskFinished(reportOfFailure(task, err, this.state.lastHardware, Date.now() - startedAt));
      throw err;
    }
  }
}

class StepTelemetryOutbound implements WorkflowOutboundCallsInterceptor {
  constructor(private readonly state: RunState) {}

  async scheduleActivity(input: ActivityInput, next: Next<WorkflowOutboundCallsInterceptor, 'scheduleActivity'>): Promise<unknown> {
    const hardware = hardwareOfQueue(input.options.taskQueue);
    const task = this.state.task;
    if (!hardware || !task) return next(input);
    this.state.lastHardware = hardware;
    const scheduledAt = Date.now();
    const report = (outcome: StepOutcome) =>
      offloadTelemetry.stepFinished({
        task_id: task.task_id,
        task_type: task.task_type,
        hardware,
        activity: input.activityType,
        outcome,
        duration_ms: Date.now() - scheduledAt,
      });
    try {
      const result = await next(input);
      report('completed');
      return result;
    } catch (err) {
      report(stepOutcomeOf(err));
      throw err;
    }
  }
}

function taskOf(arg: unknown): TaskIdentity | undefined {
  const envelope = (arg as { envelope?: Partial<TaskEnvelope> } | undefined)?.envelope;
  if (!envelope?.task_id || !envelope.task_type) return undefined;
  return { task_id: envelope.task_id, task_type: envelope.task_type, priority: envelope.priority ?? 5, robot_id: envelope.meta?.robot_id };
}

function hardwareOfQueue(queue: string | undefined): Hardware | undefined {
  return HARDWARE_CLASSES.find((hardware) => queue?.endsWith(`-${hardware}`));
}

function stepOutcomeOf(err: unknown): StepOutcome {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof TimeoutFailure) return cause.timeoutType === TimeoutType.SCHEDULE_TO_START ? 'not_picked_up' : 'deadline';
  if (cause instanceof CancelledFailure) return 'cancelled';
  if (cause instanceof ApplicationFailure) {
    if (cause.type === ErrorType.ModelNotInstalled) return 'model_not_installed';
    if (REQUEST_ERROR_TYPES.includes(cause.type ?? '')) return 'invalid_input';
  }
  return 'failed';
}

function reportOfResult(task: TaskIdentity, result: TaskResult, lastHardware: Hardware | undefined): TaskReport {
  const { meta } = result;
  const degradation = (meta.degradation ?? []).map(({ from, to, reason, at_ms }) => ({ from, to, reason, at_ms }));
  const completed = result.status === 'completed';
  const delivery = (meta.delivery as Partial<DeliveryOutcome> | undefined)?.status;
  const superseded = delivery === 'superseded';
  const lastStep = degradation[degradation.length - 1];
  return {
    ...task,
    outcome: completed ? 'completed' : superseded ? 'superseded' : 'fallback',
    status: completed ? 'completed' : 'failed',
    provider: meta.hardware ?? lastHardware ?? 'none',
    model: meta.model,
    processing_time_ms: result.processing_time_ms,
    attempts: meta.attempts,
    fallback_required: meta.fallback_required,
    degradation,
    deadline_exhausted: !completed && !superseded && (lastStep === undefined || lastStep.to !== 'robot' || degradation.some((s) => s.reason === 'deadline')),
    ...(delivery ? { delivery } : {}),
  };
}

function reportOfFailure(task: TaskIdentity, err: TemporalFailure, lastHardware: Hardware | undefined, elapsedMs: number): TaskReport {
  const type = err instanceof ApplicationFailure ? err.type ?? undefined : undefined;
  const invalid = type !== undefined && REQUEST_ERROR_TYPES.includes(type);
  return {
    ...task,
    outcome: invalid ? 'invalid' : 'failed',
    status: 'failed',
    provider: lastHardware ?? 'none',
    processing_time_ms: elapsedMs,
    attempts: 0,
    fallback_required: false,
    degradation: [],
    deadline_exhausted: false,
    error_type: type ?? err.name,
  };
}
