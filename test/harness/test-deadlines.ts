import { TASK_TYPES } from '../../src/shared/task-types';

/**
 * A deadline no machine misses when the behaviour is right: a run in a test answers whenever its
 * model is done, however busy or slow the machine. A test about missing a deadline sets its own.
 */
export const TEST_DEADLINE_MS = 300_000;

/** OFFLOAD_DEADLINES_MS with TEST_DEADLINE_MS for every task type, then `overrides` (e.g. "vision.frame=1"), which win. */
export function testDeadlines(overrides?: string): string {
  return [...TASK_TYPES.map((taskType) => `${taskType}=${TEST_DEADLINE_MS}`), ...(overrides ? [overrides] : [])].join(',');
}
