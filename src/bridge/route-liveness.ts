import type { LiveWorkerProbe } from '../client/live-workers';
import type { Hardware, TaskType } from '../shared/task-types';

export interface RouteLivenessOptions {
  workers: Pick<LiveWorkerProbe, 'liveWorkers'>;
  /** Hardware route per task type: a task type is served while a worker of its route is alive. */
  routes: Record<TaskType, Hardware[]>;
  /** A probe is started at most this often (default 1000 ms). */
  refreshMs?: number;
  /** A probe older than this says nothing (default 5000 ms): requests then run as usual. */
  maxAgeMs?: number;
  /** Called when a probe finds a task type's route served or unserved, unlike the probe before. */
  onChange?: (unserved: TaskType[], workers: Record<Hardware, number>) => void;
  now?: () => number;
}

/**
 * Whether any live inference worker serves a task type's route, from the last probe of Temporal's
 * worker heartbeats (see `createLiveWorkerProbe`). Asking never waits: it starts a new probe in the
 * background when the last one is older than `refreshMs`, and answers from the last one. Only a
 * recent probe that saw no live worker on the whole route says "unserved"; no probe, an old one or a
 * failed one says nothing, so the request runs (and its ladder decides).
 */
export class RouteLiveness {
  private probe: { startedAt: number; workers: Record<Hardware, number> } | undefined;
  private lastStartedAt = -Infinity;
  private probing = false;
  private readonly now: () => number;

  constructor(private readonly options: RouteLivenessOptions) {
    this.now = options.now ?? Date.now;
  }

  /** True when the last probe (recent enough) saw no live worker on the task type's route. */
  unserved(taskType: TaskType): boolean {
    this.refresh();
    return this.probe !== undefined && this.now() - this.probe.startedAt <= (this.options.maxAgeMs ?? 5000) && this.unservedBy(taskType, this.probe.workers);
  }

  private refresh(): void {
    const startedAt = this.now();
    if (this.probing || startedAt - this.lastStartedAt < (this.options.refreshMs ?? 1000)) return;
    this.probing = true;
    this.lastStartedAt = startedAt;
    this.options.workers
      .liveWorkers()
      .then((workers) => this.record(startedAt, workers))
      .catch(() => undefined)
      .finally(() => (this.probing = false));
  }

  private record(startedAt: number, workers: Record<Hardware, number>): void {
    const before = this.probe && this.unservedTypes(this.probe.workers).join();
    this.probe = { startedAt, workers };
    const unserved = this.unservedTypes(workers);
    if (unserved.join() !== before) this.options.onChange?.(unserved, workers);
  }

  private unservedTypes(workers: Record<Hardware, number>): TaskType[] {
    return (Object.keys(this.options.routes) as TaskType[]).filter((taskType) => this.unservedBy(taskType, workers));
  }

  private unservedBy(taskType: TaskType, workers: Record<Hardware, number>): boolean {
    return this.options.routes[taskType].every((hardware) => (workers[hardware] ?? 0) === 0);
  }
}
