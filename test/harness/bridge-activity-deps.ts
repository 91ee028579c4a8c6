import type { BridgeActivityDeps } from '../../src/bridge/bridge-activities';
import { openDeliveryLedger } from '../../src/bridge/delivery-ledger';
import { FrameTracker } from '../../src/bridge/frame-tracker';

/** A bridge of robot `rider-1` for activity unit tests: it publishes into `published`, at a fixed `now`. */
export function testBridgeDeps(published: unknown[], now: number, extra: Partial<BridgeActivityDeps> = {}): BridgeActivityDeps {
  return {
    robotId: 'rider-1',
    bus: { publish: async (messages) => void published.push(...messages) },
    ledger: openDeliveryLedger(),
    frames: new FrameTracker({ control: { isQueued: async () => false, supersede: async () => undefined }, forgetAfterMs: 10_000 }),
    messages: { obstacle: { hfovDeg: 62, cameraHeightM: 0.15, pitchDeg: 0, pathWidth: 0.5, minScore: 0.4, maxDistanceM: 1.5 }, ttsChunkMs: 500 },
    now: () => now,
    ...extra,
  };
}
