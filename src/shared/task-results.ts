import type { ResultMeta, TaskEnvelope, TaskResult } from './task';

/** The task a result answers: the envelope as submitted, or as much of it as a run's search attributes tell. */
export type ResultTask = Pick<TaskEnvelope, 'task_id' | 'task_type' | 'priority' | 'meta'>;

/** The meta fields a result's maker knows; the task's own (type, robot, priority, request time) come from the task. */
export type ResultMetaFields = Pick<ResultMeta, 'fallback_required' | 'deadline_ms'> & Partial<ResultMeta>;

/** A result's meta: the task's type, robot, priority, request time and the run it reruns, then `fields` (no attempts, steps or timings unless given). */
export function resultMeta(task: ResultTask, fields: ResultMetaFields): ResultMeta {
  const { robot_id, request_ts, rerun_of } = task.meta;
  return {
    task_type: task.task_type,
    robot_id: typeof robot_id === 'string' ? robot_id : undefined,
    priority: task.priority,
    ...(request_ts !== undefined ? { request_ts } : {}),
    ...(typeof rerun_of === 'string' ? { rerun_of } : {}),
    attempts: 0,
    degradation: [],
    timings: {},
    ...fields,
  };
}

export interface FailedResultOptions {
  error: string;
  /**
   * True when the robot must do the task itself (no hardware could in time, no run could start, or
   * the robot waits for an answer to input the PC could not use); false when nothing is owed (the
   * run failed outright for its caller, or a newer frame made the result worthless).
   */
  fallbackRequired: boolean;
  processingTimeMs?: number;
  /** The rest of the meta: the deadline, and what the run knows (attempts, degradation, timings, its ids...). */
  meta: Pick<ResultMeta, 'deadline_ms'> & Partial<ResultMeta>;
}

/** A result without output (`status: failed`): the one builder of fallback and failed answers. */
export function failedResult<R = unknown>(task: ResultTask, options: FailedResultOptions): TaskResult<R> {
  return {
    task_id: task.task_id,
    status: 'failed',
    result: null,
    error: options.error,
    processing_time_ms: options.processingTimeMs ?? 0,
    meta: resultMeta(task, { ...options.meta, fallback_required: options.fallbackRequired }),
  };
}

/** The answer for a run that has not finished yet. */
export function pendingResult(task: ResultTask): TaskResult {
  return { task_id: task.task_id, status: 'pending', result: null, error: null, processing_time_ms: 0, meta: resultMeta(task, { fallback_required: false, deadline_ms: 0 }) };
}
