import type { ExecutionProvider, LoadedModel } from '../registry/model-capabilities';
import type { ModelManifest } from '../registry/model-manifest';
import type { TextGenerationSettings } from '../text-generation/text-generation-settings';

/** What a family loader is given; a leaf, so the runtime and every family can import it. */
export interface LoadContext {
  manifest: ModelManifest;
  /** The model's directory, files verified. */
  dir: string;
  executionProvider: ExecutionProvider;
  intraOpThreads?: number;
  log: (message: string, fields?: Record<string, unknown>) => void;
  /** A model the runtime loaded before this one, by manifest id; helper models (no task types, e.g. `silero-vad`) load first. */
  loadedModel?: (id: string) => LoadedModel | undefined;
  /** The intents file of the text.nlu family (default config/intents.json). */
  intentsFile?: string;
  /** How text.generate is served. */
  textGeneration?: TextGenerationSettings;
}
