import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { inferenceQueue, workflowQueue } from '../shared/queues';
import { HARDWARE_CLASSES, type Hardware } from '../shared/task-types';

export interface WorkerCounts {
  workflows: number;
  inference: Record<Hardware, number>;
}

/** Asks the Temporal server which task queues have live pollers. */
export interface WorkerProbe {
  temporalReachable(): Promise<boolean>;
  workers(): Promise<WorkerCounts>;
}

const RECENT_POLL_MS = 70_000;

export function createWorkerProbe(client: Client, queuePrefix: string): WorkerProbe {
  const { TaskQueueType } = temporal.api.enums.v1;
  async function pollers(taskQueue: string, taskQueueType: temporal.api.enums.v1.TaskQueueType): Promise<number> {
    const response = await client.workflowService.describeTaskQueue({
      namespace: client.options.namespace,
      taskQueue: { name: taskQueue },
      taskQueueType,
    });
    const now = Date.now();
    return (response.pollers ?? []).filter((p) => {
      const seconds = Number(p.lastAccessTime?.seconds ?? 0);
      return now - seconds * 1000 < RECENT_POLL_MS;
    }).length;
  }
  return {
    async temporalReachable() {
      try {
        await client.workflowService.getSystemInfo({});
        return true;
      } catch {
        return false;
      }
    },
    async workers() {
      const [workflows, ...inference] = await Promise.all([
        pollers(workflowQueue(queuePrefix), TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW),
        ...HARDWARE_CLASSES.map((hw) => pollers(inferenceQueue(queuePrefix, hw), TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY)),
      ]);
      return {
        workflows,
        inference: Object.fromEntries(HARDWARE_CLASSES.map((hw, i) => [hw, inference[i]])) as Record<Hardware, number>,
      };
    },
  };
}
