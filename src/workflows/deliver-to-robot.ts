import {
  ApplicationFailure,
  CancellationScope,
  defineSignal,
  isCancellation,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { LocalActivityOptions } from '@temporalio/common';
import type { BridgeActivities } from '../shared/bridge-activities';
import { SUPERSEDED_SIGNAL, type DeliveryOutcome, type DeliverySpec, type SupersededSignalArgs } from '../shared/delivery';
import { ErrorType } from '../shared/errors';
import { outcomeAttribute } from '../shared/search-attributes';
import type { TaskResult } from '../shared/task';
import { failedResult } from '../shared/task-results';
import type { TaskWorkflowInput } from '../shared/workflow-input';
import { deliveryReserveMs, runOnLadder, type ModelActivityName, type ResultOf, type TaskTypeOf } from './run-on-ladder';

export const supersededSignal = defineSignal<[SupersededSignalArgs]>(SUPERSEDED_SIGNAL);

/** Time a bridge may still take a result after its deadline, only to record it as stale. */
const DELIVERY_GRACE_MS = 500;
/** Runs from this change on answer a superseded frame with its fail-safe; runs recorded before ended without an answer. */
const SUPERSEDED_FRAME_ANSWERS = 'superseded-frame-answers-fail-safe';

/**
 * Runs the ladder, then (for a run started by the robot bridge) hands the result to the bridge,
 * which publishes it on the robot bus or drops it with a reason. A newer frame can supersede the
 * run while its inference waits in the queue: superseding skips the inference, never the answer
 * (see answerSuperseded). Bad input is still answered (fallback) before the run fails.
 */
export async function runAndDeliver<A extends ModelActivityName>(input: TaskWorkflowInput<TaskTypeOf<A>>, activity: A): Promise<TaskResult<ResultOf<A>>> {
  const { delivery } = input;
  if (!delivery) return runOnLadder(input, activity);
  let supersededBy: string | undefined;
  let answeredBy: string | undefined;
  const ladder = new CancellationScope();
  setHandler(supersededSignal, ({ by, delivered }) => {
    supersededBy ??= by;
    if (delivered) answeredBy ??= by;
    ladder.cancel();
  });
  let result: TaskResult<ResultOf<A>>;
  try {
    result = await ladder.run(() => runOnLadder(input, activity));
  } catch (err) {
    if (supersededBy !== undefined && isCancellation(err)) {
      if (!patched(SUPERSEDED_FRAME_ANSWERS)) return superseded<ResultOf<A>>(input, supersededBy);
      return answerSuperseded<ResultOf<A>>(input, delivery, supersededBy, answeredBy);
    }
    if (err instanceof ApplicationFailure) await deliver(delivery, resultWithoutRun(input, err.message, true));
    throw err;
  }
  const outcome = await deliver(delivery, result);
  return { ...result, meta: { ...result.meta, delivery: outcome } };
}

/** Heartbeat timeout of a held delivery: the bridge heartbeats while it holds, so a dead bridge's hold goes to the next one. */
const HOLD_HEARTBEAT_TIMEOUT_MS = 2000;

/** `publishAt`: the bridge holds the result until then (a superseded frame's fail-safe), so an attempt may take that long. */
async function deliver(spec: DeliverySpec, result: TaskResult, publishAt?: number): Promise<DeliveryOutcome> {
  const remainingMs = spec.deliverBy - Date.now();
  if (remainingMs <= 0) {
    return record({ status: 'stale', detail: `the result was ready ${-remainingMs} ms after its deadline`, messages: 0 });
  }
  const timeouts: LocalActivityOptions = {
    scheduleToCloseTimeout: remainingMs + DELIVERY_GRACE_MS,
    startToCloseTimeout: publishAt === undefined ? Math.min(1000, remainingMs + DELIVERY_GRACE_MS) : remainingMs + DELIVERY_GRACE_MS,
    retry: { maximumAttempts: 3, initialInterval: '50ms', backoffCoefficient: 2, nonRetryableErrorTypes: [ErrorType.WrongRobot] },
    summary: `deliver ${result.meta.task_type} to ${spec.robotId}`,
  };
  // A local activity has no heartbeat: the hold ends by its own timer, and a bridge that dies meanwhile takes the workflow task with it.
  // No patched() here: the input decides (runs recorded before never had `local`), and a patch marker
  // would cost every run a visibility write (the SDK upserts TemporalChangeVersion).
  const bridge =
    spec.local === true
      ? proxyLocalActivities<BridgeActivities>(timeouts)
      : proxyActivities<BridgeActivities>({
          taskQueue: spec.taskQueue,
          ...timeouts,
          ...(publishAt === undefined ? {} : { heartbeatTimeout: HOLD_HEARTBEAT_TIMEOUT_MS }),
        });
  try {
    return record(await bridge.deliverResult({ delivery: spec, result, ...(publishAt === undefined ? {} : { publishAt }) }));
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

/**
 * A superseded frame hands its fail-safe to the bridge at once; the bridge holds it until the delivery
 * reserve before the deadline and drops it if a newer frame's result reaches the robot meanwhile.
 * (Published at once it would put a fail-safe obstacle between the answers of a PC that is only
 * slower than the camera; held by a workflow timer it would come late: Temporal's timers fire
 * hundreds of milliseconds after their time.)
 */
/** `answeredBy`: the newer frame whose result reached the robot (the bridge said so), if one did. */
async function answerSuperseded<R>(input: TaskWorkflowInput, delivery: DeliverySpec, by: string, answeredBy: string | undefined): Promise<TaskResult<R>> {
  if (answeredBy !== undefined) return superseded<R>(input, by, `superseded by the newer frame ${answeredBy}, whose result reached the robot first`);
  const failSafe = resultWithoutRun<R>(input, `superseded by the newer frame ${by} before its inference ran, and no newer result reached the robot in time: the robot should do it locally`, true);
  upsertSearchAttributes([outcomeAttribute('fallback')]);
  const outcome = await deliver(delivery, failSafe, delivery.deliverBy - deliveryReserveMs(input.policy.deadlineMs));
  return { ...failSafe, meta: { ...failSafe.meta, superseded_by: by, delivery: outcome } };
}

function superseded<R>(input: TaskWorkflowInput, by: string, detail = `superseded by the newer frame ${by} before its inference ran`): TaskResult<R> {
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
