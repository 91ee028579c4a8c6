import type { DeliveryInput, DeliveryOutcome } from './delivery';
import type { TurnDeliveryInput } from './voice-session';

/** Activities served by the robot bridge on its own task queue. */
export interface BridgeActivities {
  deliverResult(input: DeliveryInput): Promise<DeliveryOutcome>;
  /** Publishes one answer of a voice-session turn (at most once per turn and part). */
  deliverTurn(input: TurnDeliveryInput): Promise<DeliveryOutcome>;
}
