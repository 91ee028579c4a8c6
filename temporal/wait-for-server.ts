import { Connection } from '@temporalio/client';
import { connect as tcpConnect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { diffSearchAttributes, type SearchAttributeSpec } from './search-attributes';

/** Options for {@link waitForServer}. */
export interface WaitForServerOptions {
  /** Frontend `host:port`. */
  address: string;
  /** Namespace whose search attributes must be visible. */
  namespace: string;
  /** Search attributes that must be registered before the server counts as ready. */
  searchAttributes: SearchAttributeSpec[];
  /** Absolute time (ms since epoch) to give up at. */
  deadline: number;
  /** Extra TCP ports (e.g. the Web UI's) that must accept connections too. */
  extraPorts?: Array<{ host: string; port: number }>;
  /** Called before every attempt; throw from it to abort (e.g. when the server process died). */
  checkAlive?: () => void;
}

/**
 * Waits until a Temporal frontend answers `getSystemInfo`, `namespace` exists and every wanted
 * search attribute is registered with the right type.
 */
export async function waitForServer(opts: WaitForServerOptions): Promise<void> {
  const { host, port } = splitAddress(opts.address);
  let lastProblem = 'nothing listening yet';
  const fail = (): never => {
    throw new Error(`Temporal at ${opts.address} was not ready in time: ${lastProblem}`);
  };
  const ports = [{ host, port }, ...(opts.extraPorts ?? [])];
  for (const target of ports) {
    while (!(await tcpAccepts(target.host, target.port))) {
      opts.checkAlive?.();
      lastProblem = `nothing accepts connections on ${target.host}:${target.port}`;
      if (Date.now() > opts.deadline) fail();
      await sleep(50);
    }
  }

  let connection: Connection | undefined;
  try {
    for (;;) {
      opts.checkAlive?.();
      if (Date.now() > opts.deadline) fail();
      try {
        connection ??= await Connection.connect({ address: opts.address, connectTimeout: 5000 });
        const conn = connection;
        const callDeadline = Math.min(opts.deadline, Date.now() + 5000);
        await conn.withDeadline(callDeadline, () => conn.workflowService.getSystemInfo({}));
        const listed = await conn.withDeadline(callDeadline, () =>
          conn.operatorService.listSearchAttributes({ namespace: opts.namespace }),
        );
        const diff = diffSearchAttributes(listed.customAttributes, opts.searchAttributes);
        if (diff.conflicting.length > 0) {
          const names = diff.conflicting.map((c) => `${c.name} (registered type ${c.registeredType}, wanted ${c.type})`);
          throw new SearchAttributeConflictError(`Search attributes with the wrong type in namespace ${opts.namespace}: ${names.join(', ')}`);
        }
        if (diff.missing.length === 0) return;
        lastProblem = `search attributes not visible yet: ${diff.missing.map((m) => m.name).join(', ')}`;
      } catch (err) {
        if (err instanceof SearchAttributeConflictError) throw err;
        lastProblem = err instanceof Error ? err.message : String(err);
      }
      await sleep(100);
    }
  } finally {
    await connection?.close();
  }
}

/** A wanted search attribute is registered with another type; waiting will not fix it. */
export class SearchAttributeConflictError extends Error {
  override readonly name = 'SearchAttributeConflictError';
}

/** Splits `host:port` or `[v6]:port`. */
export function splitAddress(address: string): { host: string; port: number } {
  const match = /^\[?([^\]]*?)\]?:(\d+)$/.exec(address);
  if (!match) throw new Error(`Not a host:port address: ${address}`);
  return { host: match[1] as string, port: Number(match[2]) };
}

function tcpAccepts(host: string, port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const socket = tcpConnect({ host, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
