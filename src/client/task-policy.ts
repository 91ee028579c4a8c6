import type { OffloadConfig } from '../config/load-config';
import type { TaskType } from '../shared/task-types';
import type { TaskPolicy } from '../shared/workflow-input';

export type PolicyConfig = Pick<OffloadConfig, 'queuePrefix' | 'routes' | 'deadlinesMs' | 'pickupTimeoutMs' | 'attemptsPerHardware' | 'heartbeatTimeoutMs'>;

/** The routing policy of a task type, fixed into the run when it starts. */
export function policyFor(taskType: TaskType, config: PolicyConfig, override: Partial<TaskPolicy> = {}): TaskPolicy {
  return {
    route: config.routes[taskType],
    deadlineMs: config.deadlinesMs[taskType],
    pickupTimeoutMs: config.pickupTimeoutMs,
    attemptsPerHardware: config.attemptsPerHardware,
    heartbeatTimeoutMs: config.heartbeatTimeoutMs,
    queuePrefix: config.queuePrefix,
    ...override,
  };
}
