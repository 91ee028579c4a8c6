import type { ModelFamily } from '../registry/model-manifest';
import type { LoadedModel } from '../registry/model-capabilities';
import type { LoadContext } from './load-context';
import { YoloxDetector } from '../object-detection/yolox-detector';
import { MiniLmIntentClassifier } from '../intent-classification/minilm-intent-classifier';
import { loadLlamaTextGenerator } from '../text-generation/load-text-generators';
import { VoiceActivityDetector } from '../voice-activity-detection/voice-activity-detector';
import { PiperSynthesizer } from '../speech-synthesis/piper-synthesizer';
import { WhisperTranscriber } from '../speech-recognition/whisper-transcriber';
import { PpOcrReader } from '../text-recognition/ppocr-reader';

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
