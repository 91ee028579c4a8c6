import { Connection } from '@temporalio/client';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TemporalConnectionOptions } from './connection-options';

/** Options for {@link connectWithRetry}. */
export interface ConnectWithRetryOptions {
  /** Give up after this long. Default: 120 000 ms. */
  timeoutMs?: number;
  /** Pause between attempts. Default: 2 000 ms. */
  intervalMs?: number;
  /** Receives one line per failed attempt. Default: discarded. */
  log?: (msg: string) => void;
}

/**
 * Connects a client and checks the frontend answers `getSystemInfo`, retrying while the server is
 * still starting (e.g. right after `docker compose up`).
 */
export async function connectWithRetry(
  connectionOptions: TemporalConnectionOptions,
  options: ConnectWithRetryOptions = {},
): Promise<Connection> {
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  for (let attempt = 1; ; attempt++) {
    let connection: Connection | undefined;
    try {
      connection = await Connection.connect({ ...connectionOptions, connectTimeout: 5000 });
      const conn = connection;
      await conn.withDeadline(Date.now() + 5000, () => conn.workflowService.getSystemInfo({}));
      return conn;
    } catch (err) {
      await connection?.close();
      const reason = err instanceof Error ? err.message : String(err);
      if (Date.now() >= deadline) {
        throw new Error(`Temporal at ${connectionOptions.address} did not answer after ${attempt} attempts: ${reason}`, { cause: err });
      }
      options.log?.(`Temporal at ${connectionOptions.address} not reachable yet (${reason}); retrying`);
      await sleep(options.intervalMs ?? 2000);
    }
  }
}
