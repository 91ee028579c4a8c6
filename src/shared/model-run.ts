import type { TaskEnvelope } from './task';
import type { Hardware, TaskType } from './task-types';

export interface ModelActivityInput<T extends TaskType = TaskType> {
  envelope: TaskEnvelope<T>;
}

/** What an inference activity returns to its workflow. */
export interface ModelRun<R = unknown> {
  result: R;
  model: { id: string; kind: 'real' | 'test-graph' };
  hardware: Hardware;
  execution_provider: string;
  timings: Record<string, number>;
}
