import { Context } from '@temporalio/activity';

/** How often a running inference tells Temporal it is alive (the proxy's heartbeatTimeout is a few times this). */
export const HEARTBEAT_INTERVAL_MS = 1000;

/** Runs `work` while heartbeating, so a long inference is not mistaken for a dead worker and sees cancellation. */
export async function whileHeartbeating<T>(work: () => Promise<T>): Promise<T> {
  const context = Context.current();
  context.heartbeat();
  const timer = setInterval(() => context.heartbeat(), HEARTBEAT_INTERVAL_MS);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
