import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { inferenceQueue } from '../../src/shared/queues';
import type { Hardware } from '../../src/shared/task-types';

const { WorkerStatus } = temporal.api.enums.v1;

export interface LastHeartbeat {
  running: boolean;
  ageMs: number;
  /** Time since the heartbeat before (0 after the first: until the second, the server cannot tell the worker's interval). */
  sincePreviousMs: number;
}

/** The last heartbeat the server has from the inference worker process `pid` on `hardware`'s queue. */
export async function lastHeartbeat(client: Client, queuePrefix: string, hardware: Hardware, pid: number): Promise<LastHeartbeat | undefined> {
  const response = await client.workflowService.listWorkers({ namespace: client.options.namespace, pageSize: 1000, query: '' });
  const beat = (response.workersInfo ?? [])
    .map((info) => info.workerHeartbeat)
    .find((hb) => hb?.taskQueue === inferenceQueue(queuePrefix, hardware) && hb.workerIdentity?.startsWith(`${pid}@`));
  if (!beat) return undefined;
  const ms = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) => Number(t?.seconds ?? 0) * 1000 + (t?.nanos ?? 0) / 1e6;
  return { running: beat.status === WorkerStatus.WORKER_STATUS_RUNNING, ageMs: Date.now() - ms(beat.heartbeatTime), sincePreviousMs: ms(beat.elapsedSinceLastHeartbeat) };
}
