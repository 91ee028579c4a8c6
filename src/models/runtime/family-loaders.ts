import { MiniLmIntentClassifier } from '../intent-classification/minilm-intent-classifier';
import { YoloxDetector } from '../object-detection/yolox-detector';
import type { ModelFamily } from '../registry/model-manifest';
import { WhisperTranscriber } from '../speech-recognition/whisper-transcriber';
import { EspeakSynthesizer } from '../speech-synthesis/espeak-synthesizer';
import { PiperSynthesizer } from '../speech-synthesis/piper-synthesizer';
import { loadLlamaTextGenerator } from '../text-generation/load-text-generators';
import { PpOcrReader } from '../text-recognition/ppocr-reader';
import { VoiceActivityDetector } from '../voice-activity-detection/voice-activity-detector';
import type { LoadContext } from './load-context';
import { helperModel, serving, type ServingModel } from './serving-model';

/** How each model family is loaded and the capability it serves its task types with; one entry per family. */
export const FAMILY_LOADERS: Record<ModelFamily, (context: LoadContext) => Promise<ServingModel>> = {
  yolox: async (context) => serving('detector', await YoloxDetector.load(context)),
  'minilm-intent': async (context) => serving('intentClassifier', await MiniLmIntentClassifier.load(context)),
  'llama-gguf': async (context) => serving('textGenerator', await loadLlamaTextGenerator(context)),
  'silero-vad': async (context) => helperModel(await VoiceActivityDetector.load(context)),
  piper: async (context) => serving('synthesizer', await PiperSynthesizer.load(context)),
  whisper: async (context) => serving('transcriber', await WhisperTranscriber.load(context)),
  ppocr: async (context) => serving('detector', await PpOcrReader.load(context)),
  'espeak-ng': async (context) => serving('synthesizer', await EspeakSynthesizer.load(context)),
};
