import type { ModelFamily, ModelManifest } from './registry/model-manifest';
import type { ExecutionProvider, LoadedModel } from './registry/model-capabilities';
import { YoloxDetector } from './yolox/yolox-detector';
import { MiniLmIntentClassifier } from './nlu/minilm-intent-classifier';
import type { TextGenerationSettings } from './text-generation/text-generation-settings';
import { loadLlamaTextGenerator } from './text-generation/load-text-generators';
import { VoiceActivityDetector } from './vad/voice-activity-detector';
import { PiperSynthesizer } from './piper/piper-synthesizer';
import { WhisperTranscriber } from './whisper/whisper-transcriber';
import { PpOcrReader } from './ocr/ppocr-reader';

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

/** How each model family is loaded; one entry per family. */
export const FAMILY_LOADERS: Record<ModelFamily, (context: LoadContext) => Promise<LoadedModel>> = {
  yolox: (context) => YoloxDetector.load(context),
  'minilm-intent': (context) => MiniLmIntentClassifier.load(context),
  'llama-gguf': (context) => loadLlamaTextGenerator(context),
  'silero-vad': (context) => VoiceActivityDetector.load(context),
  piper: (context) => PiperSynthesizer.load(context),
  whisper: (context) => WhisperTranscriber.load(context),
  ppocr: (context) => PpOcrReader.load(context),
};
