import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { inferenceQueue, workflowQueue } from '../shared/queues';
import { HARDWARE_CLASSES, type Hardware } from '../shared/task-types';

/** Live workers: the workflow worker(s) and the inference workers per hardware class. */
export interface WorkerCounts {
  workflows: number;
  inference: Record<Hardware, number>;
}

/** What the Temporal server says about Offload's workers now. */
export interface LiveWorkerProbe {
  temporalReachable(): Promise<boolean>;
  /** Inference workers alive, per hardware class. */
  liveWorkers(): Promise<Record<Hardware, number>>;
  /** Workflow and inference workers alive. */
  workers(): Promise<WorkerCounts>;
}

export interface Heartbeat {
  identity: string;
  running: boolean;
  ageMs: number;
  intervalMs: number;
}

const { WorkerStatus, TaskQueueType } = temporal.api.enums.v1;
/** A long poll refreshes a poller's last access only every ~60 s, so a poller is "recent" for 70 s. */
const RECENT_POLL_MS = 70_000;
/** A heartbeat is overdue after this many of the worker's own intervals, and never before MIN_SILENCE_MS (a busy machine delays them). */
const MISSED_HEARTBEATS = 3;
const MIN_SILENCE_MS = 5000;
const DEFAULT_HEARTBEAT_MS = 60_000;
const RETRY_UNSUPPORTED_MS = 60_000;

/**
 * Live inference workers. Worker heartbeats (Temporal's ListWorkers, Server 1.29+, on in the dev
 * server Offload starts) tell within seconds that a worker stopped: it reports SHUTTING_DOWN as it
 * drains, and a killed one stops heartbeating. Pollers alone cannot: a stopped worker's poller stays
 * "recent" for up to 70 s (and its poll time is even refreshed when it dies). A poller whose
 * identity never heartbeated (older SDKs, servers without ListWorkers) still counts by its poll time.
 */
export function createLiveWorkerProbe(client: Client, queuePrefix: string): LiveWorkerProbe {
  let heartbeatsUnsupportedUntil = 0;

  async function heartbeats(): Promise<Map<string, Heartbeat[]> | undefined> {
    if (Date.now() < heartbeatsUnsupportedUntil) return undefined;
    try {
      const response = await client.workflowService.listWorkers({ namespace: client.options.namespace, pageSize: 1000, query: '' });
      const byQueue = new Map<string, Heartbeat[]>();
      for (const info of response.workersInfo ?? []) {
        const hb = info.workerHeartbeat;
        if (!hb?.taskQueue) continue;
        const beats = byQueue.get(hb.taskQueue) ?? [];
        beats.push({
          identity: hb.workerIdentity ?? '',
          running: hb.status === WorkerStatus.WORKER_STATUS_RUNNING,
          ageMs: Date.now() - millis(hb.heartbeatTime),
          intervalMs: durationMs(hb.elapsedSinceLastHeartbeat) || DEFAULT_HEARTBEAT_MS,
        });
        byQueue.set(hb.taskQueue, beats);
      }
      return byQueue;
    } catch {
      heartbeatsUnsupportedUntil = Date.now() + RETRY_UNSUPPORTED_MS;
      return undefined;
    }
  }

  async function pollers(taskQueue: string, taskQueueType = TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY): Promise<Array<{ identity: string; ageMs: number }>> {
    const response = await client.workflowService.describeTaskQueue({ namespace: client.options.namespace, taskQueue: { name: taskQueue }, taskQueueType });
    return (response.pollers ?? []).map((p) => ({ identity: p.identity ?? '', ageMs: Date.now() - millis(p.lastAccessTime) }));
  }

  async function inferenceWorkers(beats: Map<string, Heartbeat[]> | undefined): Promise<Record<Hardware, number>> {
    const queues = HARDWARE_CLASSES.map((hw) => inferenceQueue(queuePrefix, hw));
    const queuePollers = await Promise.all(queues.map((queue) => pollers(queue)));
    return Object.fromEntries(HARDWARE_CLASSES.map((hw, i) => [hw, countLive(beats?.get(queues[i]) ?? [], queuePollers[i])])) as Record<Hardware, number>;
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
    async liveWorkers() {
      return inferenceWorkers(await heartbeats());
    },
    async workers() {
      const beats = await heartbeats();
      const queue = workflowQueue(queuePrefix);
      const [inference, workflowPollers] = await Promise.all([inferenceWorkers(beats), pollers(queue, TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW)]);
      return { workflows: countLive(beats?.get(queue) ?? [], workflowPollers), inference };
    },
  };
}

/** Live heartbeating workers, plus recent pollers of workers that do not heartbeat at all (judged by their poll time). */
export function countLive(beats: Heartbeat[], pollers: Array<{ identity: string; ageMs: number }>): number {
  const alive = (b: Heartbeat) => b.running && b.ageMs <= Math.max(MIN_SILENCE_MS, MISSED_HEARTBEATS * b.intervalMs);
  const heartbeating = new Set(beats.map((b) => b.identity));
  const legacy = new Set(pollers.filter((p) => p.ageMs <= RECENT_POLL_MS && !heartbeating.has(p.identity)).map((p) => p.identity));
  return beats.filter(alive).length + legacy.size;
}

function millis(timestamp: { seconds?: unknown; nanos?: number | null } | null | undefined): number {
  if (!timestamp) return 0;
  return Number(timestamp.seconds ?? 0) * 1000 + Math.floor((timestamp.nanos ?? 0) / 1e6);
}

function durationMs(duration: { seconds?: unknown; nanos?: number | null } | null | undefined): number {
  return millis(duration);
}
