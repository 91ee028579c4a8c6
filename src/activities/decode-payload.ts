import { ApplicationFailure } from '@temporalio/activity';
import { ErrorType } from '../shared/errors';
import { checkBase64 } from '../shared/base64';

/** Decodes a base64 payload field, failing without retries when it is malformed or too large. */
export function decodeBase64Field(value: unknown, field: string, maxBytes: number): Uint8Array {
  const problem = checkBase64(value, maxBytes);
  if (problem) {
    const type = problem.tooLarge ? ErrorType.PayloadTooLarge : ErrorType.InvalidInput;
    throw ApplicationFailure.nonRetryable(`${field}: ${problem.message}`, type);
  }
  return Buffer.from(value as string, 'base64');
}

