import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { buildStartDevArgs } from './dev-server-args';
import { findFreePort } from './free-port';
import { projectSearchAttributes } from './search-attributes';
import { spawnServerProcess, type ServerProcess } from './server-process';
import { waitForServer } from './wait-for-server';

/** Server log levels the Temporal CLI accepts. */
export type DevServerLogLevel = 'debug' | 'info' | 'warn' | 'error' | 'never';

/** Options for {@link startDevServer}. All optional but the binary. */
export interface DevServerOptions {
  /** Frontend gRPC port. Default: a free port. */
  port?: number;
  /** Web UI port, or `false` to run headless. Default: a free port. */
  uiPort?: number | false;
  /** Frontend HTTP API port. Default: the CLI picks a free one. */
  httpPort?: number;
  /** SQLite file to persist state in (its directory is created). Default: in memory, lost on stop. */
  dbFile?: string;
  /** Namespace to create and wait for (`default` always exists). Default: `default`. */
  namespace?: string;
  /** Interface the frontend and UI bind to. Default: `127.0.0.1`. */
  ip?: string;
  /** Server log level. Default: `warn`. */
  logLevel?: DevServerLogLevel;
  /** Receives launcher messages and every line the server prints. Default: discarded. */
  log?: (msg: string) => void;
  /** Extra arguments appended to `temporal server start-dev`. Default: none. */
  extraArgs?: string[];
  /** Path of the `temporal` binary (`resolveTemporalCli` finds or builds it). */
  cliPath: string;
  /** How long to wait for the frontend and search attributes. Default: 60 000 ms. */
  startTimeoutMs?: number;
  /** How long `stop()` waits after SIGTERM before SIGKILL. Default: 10 000 ms. */
  stopTimeoutMs?: number;
  /**
   * Run the server in its own process group so a terminal's Ctrl-C reaches only this process,
   * which can then stop workers before the server. It still dies with this process.
   * Default: false.
   */
  detached?: boolean;
}

/** A running dev server. */
export interface DevServer {
  /** Frontend gRPC address, `host:port`. */
  address: string;
  /** Web UI URL, unless headless. */
  uiUrl?: string;
  /** Namespace that was created and checked. */
  namespace: string;
  /** OS process id of the server. */
  pid: number;
  /** Stops the server (SIGTERM, SIGKILL after a timeout). Idempotent. */
  stop(): Promise<void>;
  /** Resolves when the server process has exited, whether stopped or crashed. Never rejects. */
  exited: Promise<void>;
}

/** Thrown when the server exits early because a port it was told to use is taken. */
class PortInUseError extends Error {}

const PORT_IN_USE = /can't (set|use default) .*port|address already in use/i;
const MAX_PORT_ATTEMPTS = 3;

/**
 * Starts `temporal server start-dev` with the project's dynamic config and search attributes and
 * resolves once the frontend answers and the search attributes are visible.
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const log = options.log ?? (() => undefined);
  const ip = options.ip ?? '127.0.0.1';
  const dbFile = options.dbFile === undefined ? undefined : resolve(options.dbFile);
  if (dbFile !== undefined) mkdirSync(dirname(dbFile), { recursive: true });

  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await findFreePort(bindableHost(ip)));
    let uiPort = options.uiPort;
    while (uiPort === undefined) {
      const candidate = await findFreePort(bindableHost(ip));
      if (candidate !== port) uiPort = candidate;
    }
    try {
      return await launch(options, { cliPath: options.cliPath, ip, dbFile, port, uiPort, log });
    } catch (err) {
      const portsWereOurs = options.port === undefined || (options.uiPort === undefined && uiPort !== false);
      if (err instanceof PortInUseError && portsWereOurs && attempt < MAX_PORT_ATTEMPTS) {
        log(`Port taken while starting (${err.message}); retrying with other ports`);
        continue;
      }
      throw err;
    }
  }
}

interface LaunchSettings {
  cliPath: string;
  ip: string;
  dbFile: string | undefined;
  port: number;
  uiPort: number | false;
  log: (msg: string) => void;
}

async function launch(options: DevServerOptions, s: LaunchSettings): Promise<DevServer> {
  const namespace = options.namespace ?? 'default';
  const searchAttributes = projectSearchAttributes();
  const args = buildStartDevArgs({
    port: s.port,
    uiPort: s.uiPort,
    httpPort: options.httpPort,
    dbFile: s.dbFile,
    namespace,
    ip: s.ip,
    logLevel: options.logLevel ?? 'warn',
    searchAttributes,
    extraArgs: options.extraArgs ?? [],
  });
  s.log(`Starting ${s.cliPath} ${args.join(' ')}`);
  const startedAt = Date.now();
  const proc = await spawnServerProcess({
    command: s.cliPath,
    args,
    log: (line) => s.log(`[temporal] ${line}`),
    stopTimeoutMs: options.stopTimeoutMs,
    detached: options.detached,
  });

  const host = connectableHost(s.ip);
  const address = `${formatHost(host)}:${s.port}`;
  try {
    await waitForServer({
      address,
      namespace,
      searchAttributes,
      deadline: startedAt + (options.startTimeoutMs ?? 60_000),
      extraPorts: s.uiPort === false ? [] : [{ host, port: s.uiPort }],
      checkAlive: () => throwIfExited(proc),
    });
  } catch (err) {
    await proc.stop();
    if (err instanceof PortInUseError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(`${message}\nLast server output:\n${proc.outputTail().join('\n') || '(none)'}`, { cause: err });
  }
  s.log(`Temporal dev server ready at ${address} after ${Date.now() - startedAt} ms (pid ${proc.pid})`);
  return {
    address,
    uiUrl: s.uiPort === false ? undefined : `http://${formatHost(host)}:${s.uiPort}`,
    namespace,
    pid: proc.pid,
    stop: () => proc.stop(),
    exited: proc.waitForExit(),
  };
}

function throwIfExited(proc: ServerProcess): void {
  if (!proc.exited) return;
  const tail = proc.outputTail();
  const summary = `Temporal dev server exited during start-up (${proc.describeExit()})`;
  if (tail.some((line) => PORT_IN_USE.test(line))) throw new PortInUseError(`${summary}: ${tail.join(' | ')}`);
  throw new Error(summary);
}

/** Where to probe for a free port when the server binds `ip`. */
function bindableHost(ip: string): string {
  return ip === 'localhost' ? '127.0.0.1' : ip;
}

/** Where clients connect to reach a server bound to `ip` (wildcards become loopback). */
function connectableHost(ip: string): string {
  if (ip === '0.0.0.0' || ip === 'localhost') return '127.0.0.1';
  if (ip === '::') return '::1';
  return ip;
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
