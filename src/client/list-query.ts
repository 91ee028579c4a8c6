import { isTaskType } from '../shared/task-types';

export interface ListFilter {
  /** Only runs that did not produce a result: invalid input, fallback to the robot, or a failed run. */
  failed?: boolean;
  taskType?: string;
  robot?: string;
  /** A raw visibility query, ANDed with the other filters. */
  query?: string;
  limit?: number;
}

/** Builds a Temporal visibility query over Offload's search attributes. */
export function buildListQuery(filter: ListFilter): string {
  const clauses = ["OffloadTaskType IS NOT NULL"];
  if (filter.taskType !== undefined) {
    if (!isTaskType(filter.taskType)) throw new Error(`unknown task type "${filter.taskType}"`);
    clauses.push(`OffloadTaskType = '${filter.taskType}'`);
  }
  if (filter.robot !== undefined) clauses.push(`OffloadRobot = '${quote(filter.robot)}'`);
  if (filter.failed) {
    clauses.push(`(OffloadOutcome IN ('failed', 'fallback', 'invalid') OR ExecutionStatus IN ('Failed', 'TimedOut', 'Terminated'))`);
  }
  if (filter.query) clauses.push(`(${filter.query})`);
  return clauses.join(' AND ');
}

function quote(value: string): string {
  return value.replace(/'/g, "\\'");
}
