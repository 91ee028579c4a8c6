import type { OffloadClient } from '../../src/client/offload-client';
import { SUPERSEDED_SIGNAL, type SupersededSignalArgs } from '../../src/shared/delivery';
import type { TaskResult } from '../../src/shared/task';
import { fixtureBase64 } from './fixtures';
import { waitUntil } from './poll-until';
import type { BridgeTestEnv } from './bridge-env';

/** Runs whose histories are kept in test/histories: every path through the ladder once. */
export const HISTORY_CASES: Record<string, (offload: OffloadClient) => Promise<TaskResult>> = {
  'detection-completed': (offload) =>
    offload.submit({ task_type: 'vision.detection', payload: { image_base64: fixtureBase64('images/dog_320x240.jpg') } }, { policy: { route: ['cpu'] } }),
  'detection-degraded-gpu-to-cpu': (offload) =>
    offload.submit(
      { task_type: 'vision.frame', payload: { image_base64: fixtureBase64('images/person_320x240.jpg') }, meta: { robot_id: 'rider-1' } },
      { policy: { route: ['gpu', 'cpu'], pickupTimeoutMs: 500, deadlineMs: 5000 } },
    ),
  'detection-fallback': (offload) =>
    offload.submit({ task_type: 'vision.frame', payload: { image_base64: fixtureBase64('images/bus_320x240.jpg') } }, { policy: { route: ['gpu'], deadlineMs: 1000 } }),
  'detection-invalid-input': (offload) =>
    offload.submit({ task_type: 'vision.detection', payload: { image_base64: Buffer.from('not an image').toString('base64') } }, { policy: { route: ['cpu'] } }),
  'frame-superseded': supersededFrame,
};

/**
 * A robot frame (with a delivery to a bridge queue nobody serves) queued on hardware without a
 * worker, superseded by a newer frame while its inference waits, as the bridge does it.
 */
async function supersededFrame(offload: OffloadClient): Promise<TaskResult> {
  const receivedAt = Date.now();
  const deadlineMs = 5000;
  const task = { task_type: 'vision.frame', payload: { image_base64: fixtureBase64('images/bus_320x240.jpg') }, meta: { robot_id: 'rider-1', request_ts: receivedAt / 1000 } };
  const pending = await offload.submit(task, {
    wait: false,
    policy: { route: ['gpu'], deadlineMs, pickupTimeoutMs: deadlineMs },
    delivery: { taskQueue: 'history-cases-no-bridge', robotId: 'rider-1', receivedAt, deliverBy: receivedAt + deadlineMs },
  });
  const handle = offload.temporal.workflow.getHandle(pending.task_id);
  await waitUntil('the frame waits for inference', async () => ((await handle.describe()).raw.pendingActivities ?? []).length > 0, 30_000);
  await handle.signal<[SupersededSignalArgs]>(SUPERSEDED_SIGNAL, { by: `${pending.task_id}-newer` });
  return offload.result(pending.task_id);
}

/** Robot frames through a bridge on the fast path: the bridge hosts the run, starts it eagerly and delivers by a local activity. */
export const BRIDGE_HISTORY_CASES: Record<string, { start: BridgeCaseStart; run: (bridge: BridgeTestEnv) => Promise<string> }> = {
  'frame-delivered-by-bridge': { start: { hardware: ['cpu'], env: { OFFLOAD_ROUTES: 'vision.frame=cpu' } }, run: (bridge) => sendFrame(bridge, Date.now() / 1000) },
  'frame-superseded-in-bridge': {
    // No inference worker: the older frame waits until the newer one supersedes it, then its fail-safe is held by the bridge.
    start: { hardware: [], env: { OFFLOAD_DEADLINES_MS: 'vision.frame=3000', OFFLOAD_PICKUP_TIMEOUT_MS: '3000', OFFLOAD_BRIDGE_FAST_FALLBACK: 'off' } },
    run: async (bridge) => {
      const ts = Date.now() / 1000;
      const older = sendFrame(bridge, ts);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await sendFrame(bridge, ts + 0.2);
      return older;
    },
  },
};

type BridgeCaseStart = Parameters<typeof BridgeTestEnv.start>[0];

/** Publishes a frame as the robot does; the id of its run, once the robot has its answer. */
async function sendFrame(bridge: BridgeTestEnv, ts: number): Promise<string> {
  await bridge.robot.publish('vision.frame.offload', { ts, frame_jpeg: fixtureBase64('images/dog_320x240.jpg'), size: { w: 320, h: 240 } });
  await bridge.robot.waitFor('vision.obstacle.enhanced', (payload) => (payload.meta as { request_ts?: number } | undefined)?.request_ts === ts, 30_000);
  return `frame-${bridge.robotId}-${ts}`;
}
