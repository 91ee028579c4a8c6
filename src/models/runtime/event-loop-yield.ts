import { setImmediate } from 'node:timers/promises';

/** Lets timers, heartbeats and I/O run between slices of a long synchronous computation. */
export function yieldToEventLoop(): Promise<void> {
  return setImmediate();
}
