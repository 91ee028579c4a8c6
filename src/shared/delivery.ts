import type { DeliveryStatus } from './outcome';
import type { TaskResult } from './task';

/** Where and until when a result goes back to the robot; set by the bridge when it starts the run. */
export interface DeliverySpec {
  /** Task queue served by the bridge connected to this robot. */
  taskQueue: string;
  robotId: string;
  /** When the bridge received the request (epoch ms, PC clock). */
  receivedAt: number;
  /** Past this instant (epoch ms, PC clock) the result is worthless to the robot and is dropped. */
  deliverBy: number;
  /**
   * The run itself runs on `taskQueue` (the bridge hosts its robot's task workflows), so the bridge
   * delivers by a local activity: no second dispatch through the server. Unset: an activity on `taskQueue`.
   */
  local?: boolean;
}

export interface DeliveryOutcome {
  status: DeliveryStatus;
  /** Why, in words (what was published, or why nothing was). */
  detail: string;
  /** Messages published on the robot bus. */
  messages: number;
  /** Set when an earlier attempt already published the result: `delivered`, but not sent again. */
  duplicate?: boolean;
  /** From the bridge receiving the request to the publish (or the drop), in ms. */
  latency_ms?: number;
}

export interface DeliveryInput {
  delivery: DeliverySpec;
  result: TaskResult;
  /**
   * A superseded frame's fail-safe: the bridge holds it until this instant (epoch ms, PC clock) and
   * publishes it then, unless a newer frame's result has reached the robot meanwhile.
   */
  publishAt?: number;
}

/** Signal name: a newer frame from the same robot made this (still queued) frame's inference worthless, or its answer too (`delivered`). */
export const SUPERSEDED_SIGNAL = 'supersededSignal';

export interface SupersededSignalArgs {
  /** Task id of the newer frame. */
  by: string;
  /** The newer frame's result has reached the robot: this frame needs no answer (not even its fail-safe). */
  delivered?: boolean;
}
