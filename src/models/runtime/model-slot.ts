import type { TaskType } from '../../shared/task-types';
import type { ServingModel } from './serving-model';

/** A model being loaded, in the order calls look for one; `warm` is set once it is warm. */
export interface ModelSlot {
  /** Manifest id, or undefined for a configured text provider (openai, onnx) whose id is known once it is loaded. */
  id?: string;
  /** What the model serves (the loaded model reports the same). */
  taskTypes: readonly TaskType[];
  ready: Promise<ServingModel | undefined>;
  warm?: ServingModel;
  failed?: unknown;
}

export function slotFor(id: string | undefined, taskTypes: readonly TaskType[], loading: Promise<ServingModel | undefined>): ModelSlot {
  const slot: ModelSlot = { id, taskTypes, ready: Promise.resolve(undefined) };
  slot.ready = loading.then(
    (warm) => (slot.warm = warm),
    (error: unknown) => {
      slot.failed = error;
      return undefined;
    },
  );
  return slot;
}

export async function closeLoaded(slots: ModelSlot[]): Promise<void> {
  await Promise.all(slots.map((slot) => slot.ready));
  await Promise.all(slots.flatMap((slot) => (slot.warm ? [slot.warm.loaded.close()] : [])));
}
