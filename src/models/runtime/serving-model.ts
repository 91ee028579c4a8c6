import type { Capabilities, Capability, LoadedModel } from '../registry/model-capabilities';

/** A warm model and its capabilities: `capabilities[c]` is the model itself, typed as capability `c`. */
export interface ServingModel {
  loaded: LoadedModel;
  capabilities: Partial<Capabilities>;
}

/** A model that serves task types through one capability. */
export function serving<C extends Capability>(capability: C, model: Capabilities[C]): ServingModel {
  const capabilities: Partial<Capabilities> = {};
  capabilities[capability] = model;
  return { loaded: model, capabilities };
}

/** A model with no task type of its own, loaded for others (e.g. the VAD Whisper uses). */
export function helperModel(model: LoadedModel): ServingModel {
  return { loaded: model, capabilities: {} };
}
