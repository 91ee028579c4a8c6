import type { DeliverySpec } from './delivery';
import type { TaskEnvelope } from './task';
import type { Hardware, TaskType } from './task-types';

/** A model activity silent this long is declared lost (its worker died) and retried; it heartbeats five times as often. */
export const DEFAULT_HEARTBEAT_TIMEOUT_MS = 5000;

/** How one task walks the degradation ladder; decided when the task is submitted. */
export interface TaskPolicy {
  /** Hardware to try, preferred first; after the last the robot does the work itself. */
  route: Hardware[];
  /** Freshness budget from the start of the run. */
  deadlineMs: number;
  /** How long one hardware step may wait for a worker to pick the task up. */
  pickupTimeoutMs: number;
  attemptsPerHardware: number;
  /** A model activity silent this long is declared lost and retried (runs started before this field have none: 5 s). */
  heartbeatTimeoutMs?: number;
  queuePrefix: string;
}

export interface TaskWorkflowInput<T extends TaskType = TaskType> {
  envelope: TaskEnvelope<T>;
  policy: TaskPolicy;
  /** Set by the robot bridge: the run hands its result to the bridge, which publishes it to the robot. */
  delivery?: DeliverySpec;
}
