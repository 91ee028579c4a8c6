import { Context } from '@temporalio/activity';

/** How often a running inference tells Temporal it is alive, at most (and five times per heartbeat timeout). */
export const HEARTBEAT_INTERVAL_MS = 1000;

/**
 * Runs `work` while heartbeating, so a long inference is not mistaken for a dead worker and sees
 * cancellation. The heartbeat timeout counts from the start, so a first heartbeat at once buys
 * nothing but a server write per task (`atStart`: the old path, kept for the bench's "before").
 */
export async function whileHeartbeating<T>(work: () => Promise<T>, atStart = false): Promise<T> {
  const context = Context.current();
  if (atStart) context.heartbeat();
  const timer = setInterval(() => context.heartbeat(), heartbeatIntervalMs(context.info.heartbeatTimeoutMs));
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

function heartbeatIntervalMs(heartbeatTimeoutMs: number | undefined): number {
  return heartbeatTimeoutMs ? Math.min(HEARTBEAT_INTERVAL_MS, heartbeatTimeoutMs / 5) : HEARTBEAT_INTERVAL_MS;
}
