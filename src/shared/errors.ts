/** Failure types carried by `ApplicationFailure.type`; the one list of them. */
export const ErrorType = {
  /** The request itself is wrong: never retried. */
  InvalidInput: 'InvalidInput',
  /** The payload is larger than the configured limit: never retried. */
  PayloadTooLarge: 'PayloadTooLarge',
  /** No worker on this hardware has the model the task needs. */
  ModelNotInstalled: 'ModelNotInstalled',
  /** The model ran and failed: retried, then the next hardware. */
  InferenceFailed: 'InferenceFailed',
  /** A delivery handed to the bridge of another robot (bridges sharing a task queue): never retried. */
  WrongRobot: 'WrongRobot',
  /** A result the bridge cannot turn into robot messages: never retried. */
  BadResult: 'BadResult',
  /** The task asks for a language its model cannot work in (text.generate in Polish on English-only SmolLM2): never retried, the caller answers otherwise. */
  LanguageNotSupported: 'LanguageNotSupported',
} as const;
export type ErrorType = (typeof ErrorType)[keyof typeof ErrorType];

/** Types the activity retry policy must not retry. */
export const NON_RETRYABLE_ERROR_TYPES: string[] = [
  ErrorType.InvalidInput,
  ErrorType.PayloadTooLarge,
  ErrorType.ModelNotInstalled,
  ErrorType.LanguageNotSupported,
];

/** Types that say the request itself cannot be served as asked: the run fails with the type at once, no other hardware is tried. */
export const REQUEST_ERROR_TYPES: string[] = [ErrorType.InvalidInput, ErrorType.PayloadTooLarge, ErrorType.LanguageNotSupported];

/** A request that fails validation; `field` names the offending field (dot path). */
export class InvalidTaskError extends Error {
  constructor(
    public readonly field: string,
    public readonly problem: string,
  ) {
    super(`invalid task: ${field}: ${problem}`);
    this.name = 'InvalidTaskError';
  }
}
