import {
  ApplicationFailure,
  CancellationScope,
  defineSignal,
  isCancellation,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { BridgeActivities } from '../shared/bridge-activities';
import { SUPERSEDED_SIGNAL, type DeliveryOutcome, type DeliverySpec, type SupersededSignalArgs } from '../shared/delivery';
import { ErrorType } from '../shared/errors';
import { outcomeAttribute } from '../shared/search-attributes';
import type { TaskResult } from '../shared/task';
import { failedResult } from '../shared/task-results';
import type { TaskWorkflowInput } from '../shared/workflow-input';
import { runOnLadder, type ModelActivityName, type ResultOf, type TaskTypeOf } from './run-on-ladder';

export const supersededSignal = defineSignal<[SupersededSignalArgs]>(SUPERSEDED_SIGNAL);

/** Time a bridge may still take a result after its deadline, only to record it as stale. */
const DELIVERY_GRACE_MS = 500;

/**
 * Runs the ladder, then (for a run started by the robot bridge) hands the result to the bridge,
 * which publishes it on the robot bus or drops it with a reason. A newer frame can supersede the
 * run while its inference waits in the queue; bad input is still answered (fallback) before the run fails.
 */
export async function runAndDeliver<A extends ModelActivityName>(input: TaskWorkflowInput<TaskTypeOf<A>>, activity: A): Promise<TaskResult<ResultOf<A>>> {
  const { delivery } = input;
  if (!delivery) return runOnLadder(input, activity);
  let supersededBy: string | undefined;
  const ladder = new CancellationScope();
  setHandler(supersededSignal, ({ by }) => {
    supersededBy ??= by;
    ladder.cancel();
  });
  let result: TaskResult<ResultOf<A>>;
  try {
    result = await ladder.run(() => runOnLadder(input, activity));
  } catch (err) {
    if (supersededBy !== undefined && isCancellation(err)) return superseded<ResultOf<A>>(input, supersededBy);
    if (err instanceof ApplicationFailure) await deliver(delivery, resultWithoutRun(input, err.message, true));
    throw err;
  }
  const outcome = await deliver(delivery, result);
  return { ...result, meta: { ...result.meta, delivery: outcome } };
}

async function deliver(spec: DeliverySpec, result: TaskResult): Promise<DeliveryOutcome> {
  const remainingMs = spec.deliverBy - Date.now();
  if (remainingMs <= 0) {
    return record({ status: 'stale', detail: `the result was ready ${-remainingMs} ms after its deadline`, messages: 0 });
  }
  const bridge = proxyActivities<BridgeActivities>({
    taskQueue: spec.taskQueue,
    scheduleToCloseTimeout: remainingMs + DELIVERY_GRACE_MS,
    startToCloseTimeout: Math.min(1000, remainingMs + DELIVERY_GRACE_MS),
    retry: { maximumAttempts: 3, initialInterval: '50ms', backoffCoefficient: 2, nonRetryableErrorTypes: [ErrorType.WrongRobot] },
    summary: `deliver ${result.meta.task_type} to ${spec.robotId}`,
  });
  try {
    return record(await bridge.deliverResult({ delivery: spec, result }));
  } catch (err) {
    const why = err instanceof Error && err.cause instanceof Error ? err.cause.message : String(err);
    return record({ status: 'undelivered', detail: `no bridge for ${spec.robotId} took the result before its deadline (${why})`, messages: 0 });
  }
}

function record(outcome: DeliveryOutcome): DeliveryOutcome {
  if (outcome.status !== 'delivered') upsertSearchAttributes([outcomeAttribute(outcome.status)]);
  setCurrentDetails(`delivery: **${outcome.status}**, ${outcome.detail}`);
  return outcome;
}

function superseded<R>(input: TaskWorkflowInput, by: string): TaskResult<R> {
  const detail = `superseded by the newer frame ${by} before its inference ran`;
  const base = resultWithoutRun<R>(input, detail, false);
  const delivery = record({ status: 'superseded', detail, messages: 0 });
  return { ...base, meta: { ...base.meta, superseded_by: by, delivery } };
}

/** A result no model produced: bad input (the robot still waits for an answer: it does the work itself), or a superseded frame. */
function resultWithoutRun<R>(input: TaskWorkflowInput, error: string, fallbackRequired: boolean): TaskResult<R> {
  const elapsed = Date.now() - workflowInfo().runStartTime.getTime();
  const { workflowId, runId } = workflowInfo();
  return failedResult<R>(input.envelope, {
    error,
    fallbackRequired,
    processingTimeMs: elapsed,
    meta: { deadline_ms: input.policy.deadlineMs, timings: { total_ms: elapsed }, workflow_id: workflowId, run_id: runId },
  });
}
