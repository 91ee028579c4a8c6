import { InvalidArgumentError } from 'commander';
import type { OffloadConfig } from '../config/load-config';
import { connectClient, type ConnectedClient } from './connect-client';

export const EXIT_TASK_FAILED = 1;
export const EXIT_BAD_INPUT = 2;

export function priorityArg(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 10) throw new InvalidArgumentError('priority must be a whole number from 1 (highest) to 10');
  return n;
}

export function positiveIntArg(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive whole number');
  return n;
}

/** Connects with the config's settings, runs `work`, and closes the connection. */
export async function withClient<T>(config: OffloadConfig, work: (client: ConnectedClient) => Promise<T>): Promise<T> {
  const connected = await connectClient(config);
  try {
    return await work(connected);
  } finally {
    await connected.close();
  }
}
