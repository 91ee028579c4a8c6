import type { TaskType } from '../../shared/task-types';

export class ModelNotInstalledError extends Error {
  constructor(public readonly taskType: TaskType, modelDir: string) {
    super(`model not installed: no model for ${taskType} in ${modelDir} (see "offload models list")`);
    this.name = 'ModelNotInstalledError';
  }
}

/** The input could not be used by the model (corrupt JPEG, wrong audio format...). */
export class ModelInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelInputError';
  }
}

/** A model file on disk does not match the checksum in its manifest. */
export class ModelChecksumError extends Error {
  constructor(
    public readonly file: string,
    public readonly expected: string,
    public readonly actual: string,
  ) {
    super(`model file checksum mismatch: ${file} has sha256 ${actual}, expected ${expected} (re-run "npm run setup" or replace the file)`);
    this.name = 'ModelChecksumError';
  }
}

/** The thread running a model's session failed, crashed or was closed; the model itself may be fine. */
export class SessionThreadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SessionThreadError';
  }
}

/** The task asks for a language the model cannot work in (an English-only text model asked for Polish): never retried. */
export class LanguageNotSupportedError extends Error {
  constructor(
    public readonly language: string,
    public readonly modelId: string,
    public readonly languages: readonly string[],
  ) {
    super(`language not supported: ${modelId} works in ${languages.join(', ') || 'no language'}, not "${language}"`);
    this.name = 'LanguageNotSupportedError';
  }
}
