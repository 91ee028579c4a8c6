import type { ModelManifest } from './model-manifest';
import { ESPEAK_NG_PL } from './espeak-ng-pl';
import { MINILM_INTENT } from './minilm-intent';
import { PIPER_EN_US_JOE_MEDIUM } from './piper-en-us-joe-medium';
import { PPOCR_V4 } from './ppocr-v4';
import { SILERO_VAD } from './silero-vad';
import { SMOLLM2_135M } from './smollm2-135m';
import { WHISPER_BASE } from './whisper-base';
import { WHISPER_TINY_EN } from './whisper-tiny-en';
import { YOLOX_NANO } from './yolox-nano';

/** Every known model, in the order the runtime looks for one serving a task type. */
export const MODEL_MANIFESTS: readonly ModelManifest[] = [YOLOX_NANO, MINILM_INTENT, SMOLLM2_135M, SILERO_VAD, PIPER_EN_US_JOE_MEDIUM, WHISPER_TINY_EN, WHISPER_BASE, PPOCR_V4, ESPEAK_NG_PL];

export function findManifest(id: string): ModelManifest | undefined {
  return MODEL_MANIFESTS.find((manifest) => manifest.id === id);
}
