import type { Client } from '@temporalio/client';
import type { DeliveryOutcome } from '../../src/shared/delivery';
import type { TaskResult } from '../../src/shared/task';
import { pollUntil, waitUntil } from './poll-until';
import type { FrameStreamStats, RobotSimulator } from './robot-simulator';

export const frameTaskId = (robotId: string, ts: number) => `frame-${robotId}-${ts}`;

/** What became of the frames the robot got no answer for: each run's delivery outcome, or why there is no run. */
export async function unansweredFrames(client: Client, robot: RobotSimulator, robotId: string, stats: FrameStreamStats, only?: (ts: number) => boolean): Promise<string[]> {
  const missing = [...stats.sentAt.keys()].filter((ts) => (only?.(ts) ?? true) && robot.answersTo('vision.obstacle.enhanced', { requestTs: ts }).length === 0);
  return Promise.all(
    missing.map(async (ts) => {
      const taskId = frameTaskId(robotId, ts);
      try {
        const result = (await client.workflow.getHandle(taskId).result()) as TaskResult;
        const delivery = result.meta.delivery as DeliveryOutcome | undefined;
        return `${taskId}: ${result.status} in ${result.processing_time_ms} ms, delivery ${delivery?.status ?? 'none'} (${delivery?.detail ?? result.error})`;
      } catch (err) {
        return `${taskId}: ${err instanceof Error ? err.message : String(err)}`;
      }
    }),
  );
}

/**
 * The statistics of the frames sent at `sentAt` once every one has been dealt with: its run (which
 * the bridge may still be starting) has ended, and a result it delivered has reached the robot. A
 * late answer is then an answer, not a frame unanswered.
 */
export async function settledFrameStats(client: Client, robot: RobotSimulator, robotId: string, sentAt: Map<number, number>): Promise<FrameStreamStats> {
  const delivered = await Promise.all([...sentAt.keys()].map(async (ts) => ((await deliveryOf(client, frameTaskId(robotId, ts))) === 'delivered' ? [ts] : [])));
  const answered = (ts: number) => robot.answersTo('vision.obstacle.enhanced', { requestTs: ts }).length > 0;
  await waitUntil('every delivered answer reached the robot', () => delivered.flat().every(answered), 60_000);
  return robot.frameStats(sentAt);
}

/** The run's delivery status once it has ended; undefined when it never started or failed. */
async function deliveryOf(client: Client, taskId: string): Promise<string | undefined> {
  const handle = client.workflow.getHandle(taskId);
  if (!(await pollUntil(() => handle.describe().then(() => true, () => false), 30_000, 100))) return undefined;
  try {
    return (((await handle.result()) as TaskResult).meta.delivery as DeliveryOutcome | undefined)?.status;
  } catch {
    return undefined;
  }
}

/** Counts of the phrases before " (" in `unansweredFrames` lines, e.g. `{ "completed in …, delivery stale": 3 }`. */
export function summarize(lines: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of lines) {
    const key = line.replace(/^[^:]+: /, '').replace(/ in \d+ ms/, '').replace(/ \(.*$/, '');
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
