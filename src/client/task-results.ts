import type { TaskEnvelope, TaskResult } from '../shared/task';

type KnownTask = Pick<TaskEnvelope, 'task_id' | 'task_type' | 'priority' | 'meta'>;

export function pendingResult(task: KnownTask): TaskResult {
  return { task_id: task.task_id, status: 'pending', result: null, error: null, processing_time_ms: 0, meta: baseMeta(task) };
}

/** A run that failed outright (bad input): no hardware step is owed, so no fallback either. */
export function failedResult(task: KnownTask, error: string): TaskResult {
  return { task_id: task.task_id, status: 'failed', result: null, error, processing_time_ms: 0, meta: baseMeta(task) };
}

function baseMeta(task: KnownTask): TaskResult['meta'] {
  return {
    task_type: task.task_type,
    robot_id: typeof task.meta.robot_id === 'string' ? task.meta.robot_id : undefined,
    priority: task.priority,
    attempts: 0,
    degradation: [],
    fallback_required: false,
    deadline_ms: 0,
    timings: {},
  };
}
