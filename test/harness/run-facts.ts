import type { Client } from '@temporalio/client';
import { setTimeout as sleep } from 'node:timers/promises';
import { temporal } from '@temporalio/proto';

/** What a task's run history says about its model activity. */
export interface RunFacts {
  taskId: string;
  /** Attempt number of each model activity execution the history records (a retry after a lost worker shows 2+). */
  modelAttempts: number[];
  /** Why the last retried attempt was needed (the previous attempt's failure, e.g. a heartbeat timeout). */
  retryCauses: string[];
  /** When the model activity's result was recorded (server clock, epoch ms); undefined if it never completed. */
  modelCompletedAt?: number;
  /** When the run closed (epoch ms); undefined while it runs. */
  closedAt?: number;
}

const { EventType } = temporal.api.enums.v1;
const MODEL_ACTIVITY = /^run[A-Za-z]+Model$/;
const CLOSE_EVENTS = new Set<number>([
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED,
]);

/** Reads the run histories of `taskIds`, a few at a time. */
export async function readRunFacts(client: Client, taskIds: string[], concurrency = 8): Promise<RunFacts[]> {
  const facts: RunFacts[] = [];
  const queue = [...taskIds];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        facts.push(factsOf(id, await client.workflow.getHandle(id).fetchHistory()));
      }
    }),
  );
  return facts;
}

function factsOf(taskId: string, history: temporal.api.history.v1.IHistory): RunFacts {
  const modelScheduled = new Set<number>();
  const facts: RunFacts = { taskId, modelAttempts: [], retryCauses: [] };
  for (const event of history.events ?? []) {
    const id = Number(event.eventId);
    const type = event.eventType ?? 0;
    if (type === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED && MODEL_ACTIVITY.test(event.activityTaskScheduledEventAttributes?.activityType?.name ?? '')) {
      modelScheduled.add(id);
    } else if (type === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED && modelScheduled.has(Number(event.activityTaskStartedEventAttributes?.scheduledEventId))) {
      const started = event.activityTaskStartedEventAttributes;
      facts.modelAttempts.push(started?.attempt ?? 0);
      if (started?.lastFailure?.message) facts.retryCauses.push(started.lastFailure.message);
    } else if (type === EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED && modelScheduled.has(Number(event.activityTaskCompletedEventAttributes?.scheduledEventId))) {
      facts.modelCompletedAt = timestampMs(event.eventTime);
    } else if (CLOSE_EVENTS.has(type)) {
      facts.closedAt = timestampMs(event.eventTime);
    }
  }
  return facts;
}

function timestampMs(ts: { seconds?: { toNumber(): number } | number | null; nanos?: number | null } | null | undefined): number | undefined {
  if (!ts) return undefined;
  const seconds = typeof ts.seconds === 'number' ? ts.seconds : (ts.seconds?.toNumber() ?? 0);
  return seconds * 1000 + Math.floor((ts.nanos ?? 0) / 1e6);
}

/**
 * Workflow executions per workflow id and their statuses, as the server's visibility lists them;
 * visibility lags the runs a little, so it asks again (up to `timeoutMs`) until every one of
 * `closedIds` is listed as closed.
 */
export async function listedRuns(client: Client, query: string, closedIds: string[], timeoutMs = 60_000): Promise<Map<string, string[]>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const runs = new Map<string, string[]>();
    for await (const run of client.workflow.list({ query })) {
      runs.set(run.workflowId, [...(runs.get(run.workflowId) ?? []), run.status.name]);
    }
    const settled = closedIds.every((id) => runs.get(id)?.every((status) => status !== 'RUNNING'));
    if (settled || Date.now() > deadline) return runs;
    await sleep(250);
  }
}
