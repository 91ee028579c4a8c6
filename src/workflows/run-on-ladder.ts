import {
  ActivityFailure,
  ApplicationFailure,
  isCancellation,
  proxyActivities,
  setCurrentDetails,
  TimeoutFailure,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { TimeoutType } from '@temporalio/common';
import type { InferenceActivities } from '../activities/inference-activities';
import { ErrorType, NON_RETRYABLE_ERROR_TYPES, REQUEST_ERROR_TYPES } from '../shared/errors';
import type { ModelActivityInput, ModelRun } from '../shared/model-run';
import type { Outcome } from '../shared/outcome';
import { inferenceQueue } from '../shared/queues';
import { DegradedKey, HardwareKey, ModelKey, outcomeAttribute } from '../shared/search-attributes';
import type { DegradationReason, DegradationStep, TaskResult } from '../shared/task';
import { failedResult, resultMeta } from '../shared/task-results';
import type { Hardware } from '../shared/task-types';
import { DEFAULT_HEARTBEAT_TIMEOUT_MS, type TaskWorkflowInput } from '../shared/workflow-input';

export type ModelActivityName = keyof InferenceActivities;
/** The task types a model activity serves. */
export type TaskTypeOf<A extends ModelActivityName> = Parameters<InferenceActivities[A]>[0]['envelope']['task_type'];
/** What a model activity's run produces. */
export type ResultOf<A extends ModelActivityName> = Awaited<ReturnType<InferenceActivities[A]>>['result'];
/** The model activities as one signature per name, so that a call by a name the caller chose type-checks. */
type LadderActivities = { [A in ModelActivityName]: (input: ModelActivityInput<TaskTypeOf<A>>) => Promise<ModelRun<ResultOf<A>>> };

export interface LadderOptions {
  /** When the deadline starts counting (default: the run's start). */
  startedAt?: number;
  /** Record the outcome in the run's search attributes and details (default true; a session's steps do not). */
  recordOnRun?: boolean;
}

/** Runs one model activity down the ladder: each hardware of the route in turn, then back to the robot. */
export async function runOnLadder<A extends ModelActivityName>(input: TaskWorkflowInput<TaskTypeOf<A>>, activity: A, options: LadderOptions = {}): Promise<TaskResult<ResultOf<A>>> {
  const { envelope, policy } = input;
  const startedAt = options.startedAt ?? workflowInfo().runStartTime.getTime();
  const record = options.recordOnRun ?? true;
  const deadlineAt = startedAt + policy.deadlineMs - deliveryReserveMs(policy.deadlineMs);
  const degradation: DegradationStep[] = [];
  let attempts = 0;

  for (const [index, hardware] of policy.route.entries()) {
    const remainingMs = deadlineAt - Date.now();
    if (remainingMs <= 0) break;
    const next = policy.route[index + 1] ?? 'robot';
    if (record) setCurrentDetails(`Trying **${hardware}** (step ${index + 1} of ${policy.route.length}), ${remainingMs} ms left`);
    try {
      const activities: LadderActivities = proxyForStep(input, hardware, remainingMs, policy.route.length - index);
      const run = await activities[activity]({ envelope });
      attempts += 1;
      return finish(input, 'completed', { run, degradation, attempts, startedAt, record });
    } catch (err) {
      if (isCancellation(err)) throw err;
      attempts += attemptsOf(err);
      if (isRequestError(err)) {
        if (record) upsertSearchAttributes([outcomeAttribute('invalid')]);
        throw ApplicationFailure.nonRetryable(err.cause.message, err.cause.type);
      }
      const { reason, detail } = classify(err);
      degradation.push({ from: hardware, to: next, reason, detail, at_ms: Date.now() - startedAt });
      if (reason === 'deadline') break;
    }
  }
  return finish<ResultOf<A>>(input, 'fallback', { degradation, attempts, startedAt, record });
}

/** Time kept back from the deadline so the answer (even a fallback) reaches the robot before it. */
export function deliveryReserveMs(deadlineMs: number): number {
  return Math.min(500, Math.round(deadlineMs * 0.2));
}

function proxyForStep(input: TaskWorkflowInput, hardware: Hardware, remainingMs: number, stepsLeft: number) {
  const { policy, envelope } = input;
  return proxyActivities<InferenceActivities>({
    taskQueue: inferenceQueue(policy.queuePrefix, hardware),
    scheduleToStartTimeout: Math.max(1, Math.min(policy.pickupTimeoutMs, Math.floor(remainingMs / stepsLeft))),
    scheduleToCloseTimeout: remainingMs,
    heartbeatTimeout: policy.heartbeatTimeoutMs ?? DEFAULT_HEARTBEAT_TIMEOUT_MS,
    retry: {
      maximumAttempts: policy.attemptsPerHardware,
      initialInterval: '100ms',
      backoffCoefficient: 2,
      nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES,
    },
    priority: { priorityKey: envelope.priority },
    summary: `${envelope.task_type} on ${hardware}`,
  });
}

function isRequestError(err: unknown): err is ActivityFailure & { cause: ApplicationFailure } {
  return (
    err instanceof ActivityFailure &&
    err.cause instanceof ApplicationFailure &&
    REQUEST_ERROR_TYPES.includes(err.cause.type ?? '')
  );
}

function attemptsOf(err: unknown): number {
  return err instanceof ActivityFailure && err.cause instanceof TimeoutFailure && isPickupTimeout(err.cause) ? 0 : 1;
}

function isPickupTimeout(timeout: TimeoutFailure): boolean {
  return timeout.timeoutType === TimeoutType.SCHEDULE_TO_START;
}

function classify(err: unknown): { reason: DegradationReason; detail: string } {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof TimeoutFailure) {
    return isPickupTimeout(cause)
      ? { reason: 'not_picked_up', detail: 'no worker picked the task up in time' }
      : { reason: 'deadline', detail: 'the task ran past its deadline' };
  }
  if (cause instanceof ApplicationFailure && cause.type === ErrorType.ModelNotInstalled) {
    return { reason: 'model_not_installed', detail: cause.message };
  }
  return { reason: 'failed', detail: cause instanceof Error ? cause.message : String(cause) };
}

interface Outcomes<R> {
  run?: ModelRun<R>;
  degradation: DegradationStep[];
  attempts: number;
  startedAt: number;
  record: boolean;
}

function finish<R>(input: TaskWorkflowInput, outcome: Outcome, o: Outcomes<R>): TaskResult<R> {
  const { envelope, policy } = input;
  const elapsed = Date.now() - o.startedAt;
  if (o.record) {
    upsertSearchAttributes([
      outcomeAttribute(outcome),
      { key: DegradedKey, value: o.degradation.length > 0 },
      ...(o.run ? [{ key: HardwareKey, value: o.run.hardware }, { key: ModelKey, value: o.run.model.id }] : []),
    ]);
    setCurrentDetails(`**${outcome}** after ${elapsed} ms${o.degradation.length ? `, ${o.degradation.length} degradation step(s)` : ''}`);
  }
  const meta = {
    hardware: o.run?.hardware,
    execution_provider: o.run?.execution_provider,
    model: o.run?.model.id,
    model_kind: o.run?.model.kind,
    attempts: o.attempts,
    degradation: o.degradation,
    deadline_ms: policy.deadlineMs,
    timings: { ...o.run?.timings, total_ms: elapsed },
    workflow_id: workflowInfo().workflowId,
    run_id: workflowInfo().runId,
  };
  if (!o.run) return failedResult<R>(envelope, { error: fallbackError(o.degradation), fallbackRequired: true, processingTimeMs: elapsed, meta });
  return { task_id: envelope.task_id, status: 'completed', result: o.run.result, error: null, processing_time_ms: elapsed, meta: resultMeta(envelope, { ...meta, fallback_required: false }) };
}

function fallbackError(degradation: DegradationStep[]): string {
  const missing = degradation.find((step) => step.reason === 'model_not_installed');
  const why = degradation.map((step) => `${step.from}: ${step.detail}`).join('; ');
  return `${missing ? 'model not installed; ' : ''}no hardware could serve the task before its deadline, the robot should do it locally (${why || 'deadline already passed'})`;
}
