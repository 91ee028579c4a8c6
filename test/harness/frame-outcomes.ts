import type { Client } from '@temporalio/client';
import type { DeliveryOutcome } from '../../src/shared/delivery';
import type { TaskResult } from '../../src/shared/task';
import type { FrameStreamStats, RobotSimulator } from './robot-simulator';

/** What became of the frames the robot got no answer for: each run's delivery outcome, or why there is no run. */
export async function unansweredFrames(client: Client, robot: RobotSimulator, robotId: string, stats: FrameStreamStats, only?: (ts: number) => boolean): Promise<string[]> {
  const missing = [...stats.sentAt.keys()].filter((ts) => (only?.(ts) ?? true) && robot.answersTo('vision.obstacle.enhanced', { requestTs: ts }).length === 0);
  return Promise.all(
    missing.map(async (ts) => {
      const taskId = `frame-${robotId}-${ts}`;
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

/** Counts of the phrases before " (" in `unansweredFrames` lines, e.g. `{ "completed in …, delivery stale": 3 }`. */
export function summarize(lines: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of lines) {
    const key = line.replace(/^[^:]+: /, '').replace(/ in \d+ ms/, '').replace(/ \(.*$/, '');
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
