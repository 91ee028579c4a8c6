import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

const { EventType } = temporal.api.enums.v1;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/**
 * Where a frame's run spent its time (ms, from its history): the first workflow task's wait for a
 * workflow worker, run start to inference scheduled, the inference's wait for a worker and its
 * work, then the result's way to its delivery activity and that one's wait for the bridge; with
 * `sentAtMs` (epoch) also the way from the robot to the run's start. Only the stages the run reached.
 */
export async function frameRunStages(client: Client, taskId: string, sentAtMs?: number): Promise<Record<string, number>> {
  const events = (await client.workflow.getHandle(taskId).fetchHistory()).events ?? [];
  const at = (i: number) => Number(events[i]?.eventTime?.seconds ?? 0) * 1000 + Math.floor((events[i]?.eventTime?.nanos ?? 0) / 1e6);
  const find = (type: keyof typeof EventType, from = 0) => (from < 0 ? -1 : events.findIndex((e: HistoryEvent, i) => i >= from && e.eventType === EventType[type]));
  const taskScheduled = find('EVENT_TYPE_WORKFLOW_TASK_SCHEDULED');
  const taskStarted = find('EVENT_TYPE_WORKFLOW_TASK_STARTED', taskScheduled);
  const scheduled = find('EVENT_TYPE_ACTIVITY_TASK_SCHEDULED');
  const started = find('EVENT_TYPE_ACTIVITY_TASK_STARTED', scheduled);
  const completed = find('EVENT_TYPE_ACTIVITY_TASK_COMPLETED', started);
  const deliverScheduled = find('EVENT_TYPE_ACTIVITY_TASK_SCHEDULED', completed);
  const deliverStarted = find('EVENT_TYPE_ACTIVITY_TASK_STARTED', deliverScheduled);
  const stages: Record<string, number> = sentAtMs === undefined || events.length === 0 ? {} : { robot_to_run_started: at(0) - sentAtMs };
  const add = (stage: string, from: number, to: number) => {
    if (from >= 0 && to >= 0) stages[stage] = at(to) - at(from);
  };
  add('workflow_task_pickup', taskScheduled, taskStarted);
  add('run_start_to_inference_scheduled', 0, scheduled);
  add('inference_pickup', scheduled, started);
  add('inference_activity', started, completed);
  add('result_to_delivery_scheduled', completed, deliverScheduled);
  add('delivery_pickup', deliverScheduled, deliverStarted);
  return stages;
}

/** The median of each stage's samples, rounded (NaN samples left out). */
export function stageMedians(samples: Record<string, number[]>): Record<string, number> {
  return Object.fromEntries(Object.entries(samples).map(([stage, values]) => [stage, Math.round(median(values))]));
}

function median(values: number[]): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}
