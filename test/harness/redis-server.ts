import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { connect } from 'node:net';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { findFreePort } from '../../temporal/free-port';
import { spawnServerProcess, type ServerProcess } from '../../temporal/server-process';

/** Options for {@link startRedisServer}. All optional. */
export interface RedisServerOptions {
  /** Port to listen on. Default: a free port (retried when another process takes it first). */
  port?: number;
  /** Interface to bind. Default: `127.0.0.1`. */
  host?: string;
  /** Path of the `redis-server` binary. Default: found on PATH or in /usr/bin. */
  binary?: string;
  /** Install Debian's `redis-server` package with apt-get when no binary is found and we are root. Default: true. */
  install?: boolean;
  /** Extra arguments appended to the command line. Default: none. */
  extraArgs?: string[];
  /** How long to wait for the first PONG. Default: 15 000 ms. */
  startTimeoutMs?: number;
  /** Receives progress messages and every line the server prints. Default: discarded. */
  log?: (line: string) => void;
}

/** A running Redis server without persistence. */
export interface RedisServer {
  /** `redis://host:port`. */
  url: string;
  host: string;
  port: number;
  /** OS process id of redis-server. */
  pid: number;
  /** SIGTERM (SIGKILL after 5 s) and wait for the exit. Idempotent. */
  stop(): Promise<void>;
}

const SEARCHED_DIRS = ['/usr/bin', '/usr/local/bin'];
const MAX_PORT_ATTEMPTS = 3;
const PORT_IN_USE = /address already in use/i;

/**
 * Starts `redis-server` on a free port with no persistence (`--save '' --appendonly no`) and
 * resolves once it answers PING. Installs it first (apt-get, as root) when it is not found.
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const log = options.log ?? (() => undefined);
  const host = options.host ?? '127.0.0.1';
  let binary = options.binary ?? findRedisServer();
  if (binary === undefined) {
    if (options.install === false) throw new Error(`redis-server not found on PATH or in ${SEARCHED_DIRS.join(', ')}`);
    binary = await installRedisServer(log);
  }
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await findFreePort(host));
    const args = ['--port', String(port), '--bind', host, '--save', '', '--appendonly', 'no', '--daemonize', 'no', ...(options.extraArgs ?? [])];
    const server = await spawnServerProcess({ command: binary, args, log, stopTimeoutMs: 5_000 });
    try {
      await waitForPong(host, port, server, Date.now() + (options.startTimeoutMs ?? 15_000));
      return { url: `redis://${host}:${port}`, host, port, pid: server.pid, stop: () => server.stop() };
    } catch (err) {
      await server.stop();
      const portTaken = server.outputTail().some((line) => PORT_IN_USE.test(line));
      if (portTaken && options.port === undefined && attempt < MAX_PORT_ATTEMPTS) continue;
      throw err;
    }
  }
}

/** The `redis-server` binary on PATH or in /usr/bin, /usr/local/bin; undefined when there is none. */
export function findRedisServer(): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...SEARCHED_DIRS];
  return dirs.map((dir) => join(dir, 'redis-server')).find(isExecutable);
}

/**
 * Installs Debian's `redis-server` package (apt-get, refreshing the package lists when the first
 * try fails) and returns the binary's path. Throws saying what failed: not root, no apt-get, the
 * install itself, or no binary afterwards.
 */
export async function installRedisServer(log: (line: string) => void = () => undefined): Promise<string> {
  if (process.getuid?.() !== 0) throw new Error('redis-server is not installed and this process is not root, so it cannot apt-get install it (apt-get install redis-server)');
  const aptGet = ['/usr/bin/apt-get', ...SEARCHED_DIRS.map((dir) => join(dir, 'apt-get'))].find(isExecutable);
  if (aptGet === undefined) throw new Error('redis-server is not installed and there is no apt-get to install it with');
  const run = promisify(execFile);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => run(aptGet, ['install', '-y', '--no-install-recommends', '-o', 'DPkg::Lock::Timeout=120', 'redis-server'], { env, maxBuffer: 16 * 1024 * 1024 });
  log('installing redis-server with apt-get...');
  try {
    await install();
  } catch {
    log('apt-get install failed; running apt-get update and trying again...');
    try {
      await run(aptGet, ['update', '-o', 'DPkg::Lock::Timeout=120'], { env, maxBuffer: 16 * 1024 * 1024 });
      await install();
    } catch (err) {
      throw new Error(`apt-get install redis-server failed: ${errorTail(err)}`);
    }
  }
  const binary = findRedisServer();
  if (binary === undefined) throw new Error(`apt-get installed redis-server, but no redis-server binary is on PATH or in ${SEARCHED_DIRS.join(', ')}`);
  return binary;
}

/** Waits until PING answers PONG from this very process (another redis-server may hold the port). */
async function waitForPong(host: string, port: number, server: ServerProcess, deadline: number): Promise<void> {
  let lastProblem = 'no answer yet';
  for (;;) {
    if (server.exited) throw new Error(`redis-server exited (${server.describeExit()}) before answering PING:\n${server.outputTail().join('\n')}`);
    if (Date.now() > deadline) throw new Error(`redis-server on ${host}:${port} did not answer PING in time: ${lastProblem}`);
    try {
      const reply = await askRedis(host, port, 'PING');
      if (reply.startsWith('+PONG')) {
        const answering = /^process_id:(\d+)/m.exec(await askRedis(host, port, 'INFO server'))?.[1];
        if (Number(answering) === server.pid) return;
        lastProblem = `another redis-server (pid ${answering}) answers on port ${port}`;
      } else {
        lastProblem = `PING answered ${JSON.stringify(reply.trim())}`;
      }
    } catch (err) {
      lastProblem = err instanceof Error ? err.message : String(err);
    }
    await new Promise((done) => setTimeout(done, 50));
  }
}

/** Sends one inline command and resolves with the whole reply: a status or error line, or a bulk string with its header. */
function askRedis(host: string, port: number, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let reply = Buffer.alloc(0);
    socket.setTimeout(1000, () => socket.destroy(new Error(`${command} timed out`)));
    socket.once('connect', () => socket.write(`${command}\r\n`));
    socket.on('data', (chunk: Buffer) => {
      reply = Buffer.concat([reply, chunk]);
      const headerEnd = reply.indexOf('\r\n');
      if (headerEnd < 0) return;
      const bulkLength = reply.toString('latin1', 0, 1) === '$' ? Number(reply.subarray(1, headerEnd).toString()) : -1;
      if (bulkLength >= 0 && reply.length < headerEnd + 2 + bulkLength + 2) return;
      socket.end();
      resolve(reply.toString('utf8'));
    });
    socket.once('error', reject);
    socket.once('close', () => reject(new Error(`connection closed before the reply to ${command}`)));
  });
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function errorTail(err: unknown): string {
  const stderr = (err as { stderr?: unknown }).stderr;
  const text = typeof stderr === 'string' && stderr.trim() ? stderr : err instanceof Error ? err.message : String(err);
  return text.trim().split('\n').slice(-5).join('\n');
}
