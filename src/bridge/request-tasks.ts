import type { DeliverySpec } from '../shared/delivery';
import type { TaskEnvelope, TaskResult } from '../shared/task';
import { failedResult } from '../shared/task-results';
import { DEFAULT_PRIORITY } from '../shared/task-types';
import type { FrameRequest, TtsRequest } from './robot-requests';

/**
 * The task a robot request becomes. Task ids are derived from the robot's own timestamp, so the
 * same request seen twice is one run: `frame-<robot>-<ts>`, and for TTS the robot's `task_id` or
 * `tts-<robot>-<ts>` (the bridge's receive time when the robot sent no ts). A `voice.asr.request`
 * is no task: it is 20 ms of the robot's microphone stream, which the voice front door listens to.
 */
export function taskFor(request: FrameRequest | TtsRequest, robotId: string, receivedAt: number): TaskEnvelope {
  const meta = { robot_id: robotId, source: 'robot-bus' };
  switch (request.kind) {
    case 'frame':
      return {
        task_id: `frame-${robotId}-${request.ts}`,
        task_type: 'vision.frame',
        payload: { image_base64: request.frameJpeg },
        meta: { ...meta, request_ts: request.ts, ...(request.size ? { frame_size: request.size } : {}) },
        priority: DEFAULT_PRIORITY['vision.frame'],
      };
    case 'tts': {
      const ts = request.ts ?? receivedAt / 1000;
      return {
        task_id: request.taskId ?? `tts-${robotId}-${ts}`,
        task_type: 'voice.tts',
        payload: { text: request.text, ...(request.voice ? { voice: request.voice } : {}) },
        meta: { ...meta, request_ts: ts },
        priority: DEFAULT_PRIORITY['voice.tts'],
      };
    }
  }
}

/** The answer when no live worker serves the task's route: given at once, without a run; the robot does the work itself. */
export function unservedResult(task: TaskEnvelope, delivery: DeliverySpec, route: readonly string[]): TaskResult {
  return failedResult(task, {
    error: `no live ${route.join(' or ')} worker serves ${task.task_type}: answered at once, without a run`,
    fallbackRequired: true,
    meta: { deadline_ms: delivery.deliverBy - delivery.receivedAt },
  });
}

/** The answer when no run could even be started (Temporal unreachable): the robot does the work itself. */
export function unstartedResult(task: TaskEnvelope, delivery: DeliverySpec, error: string): TaskResult {
  return failedResult(task, { error: `the PC could not start the task: ${error}`, fallbackRequired: true, meta: { deadline_ms: delivery.deliverBy - delivery.receivedAt } });
}
