import { temporal } from '@temporalio/proto';
import { bridgeQueue, inferenceQueue, workflowQueue } from '../shared/queues';
import { HARDWARE_CLASSES, type Hardware } from '../shared/task-types';

type WorkflowService = temporal.api.workflowservice.v1.WorkflowService;

/** A poller counts as alive when it polled this recently (the server keeps pollers for minutes). */
const RECENT_POLL_MS = 70_000;

export interface QueueSnapshot {
  queue_name: string;
  kind: 'workflow' | 'activity';
  /** Set for the inference queues. */
  hardware?: Hardware;
  /** The server's approximate backlog count (tasks waiting for a worker). */
  backlog: number;
  /** Workers that polled recently. */
  pollers: number;
  /** Identities of those workers (Offload workers put their metrics URL in it). */
  identities: string[];
}

export interface QueueProbe {
  snapshot(): Promise<QueueSnapshot[]>;
}

export interface QueueProbeOptions {
  /** `connection.workflowService` of a Client connection or a worker's NativeConnection. */
  service: WorkflowService;
  namespace: string;
  queuePrefix: string;
  now?: () => number;
}

/** Reads backlog and pollers of Offload's task queues from the Temporal server (DescribeTaskQueue with stats). */
export function createQueueProbe(options: QueueProbeOptions): QueueProbe {
  const { TaskQueueType } = temporal.api.enums.v1;
  const now = options.now ?? Date.now;
  const queues: Array<Pick<QueueSnapshot, 'queue_name' | 'kind' | 'hardware'>> = [
    { queue_name: workflowQueue(options.queuePrefix), kind: 'workflow' },
    ...HARDWARE_CLASSES.map((hardware) => ({ queue_name: inferenceQueue(options.queuePrefix, hardware), kind: 'activity' as const, hardware })),
    { queue_name: bridgeQueue(options.queuePrefix), kind: 'activity' },
  ];

  async function describe(queue: (typeof queues)[number]): Promise<QueueSnapshot> {
    const response = await options.service.describeTaskQueue({
      namespace: options.namespace,
      taskQueue: { name: queue.queue_name },
      taskQueueType: queue.kind === 'workflow' ? TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW : TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
      reportStats: true,
    });
    const alive = (response.pollers ?? []).filter((p) => now() - Number(p.lastAccessTime?.seconds ?? 0) * 1000 < RECENT_POLL_MS);
    return {
      ...queue,
      backlog: Number(response.stats?.approximateBacklogCount ?? 0),
      pollers: alive.length,
      identities: alive.map((p) => p.identity ?? '').filter(Boolean),
    };
  }

  return {
    snapshot: () => Promise.all(queues.map(describe)),
  };
}
