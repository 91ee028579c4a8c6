import type { OffloadClient } from '../../src/client/offload-client';
import type { TaskResult } from '../../src/shared/task';
import { fixtureBase64 } from './fixtures';

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
};
