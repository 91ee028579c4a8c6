import type { OffloadClient } from '../../src/client/offload-client';
import { SUPERSEDED_SIGNAL, type SupersededSignalArgs } from '../../src/shared/delivery';
import type { TaskResult } from '../../src/shared/task';
import { fixtureBase64 } from './fixtures';
import { waitUntil } from './poll-until';

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
