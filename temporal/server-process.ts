import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

/** Options for {@link spawnServerProcess}. */
export interface ServerProcessOptions {
  /** Executable to run. */
  command: string;
  /** Its arguments. */
  args: string[];
  /** Working directory. Default: the current one. */
  cwd?: string;
  /** Environment. Default: this process's own. */
  env?: NodeJS.ProcessEnv;
  /** Receives every line the process writes to stdout or stderr. Default: discarded. */
  log?: (line: string) => void;
  /** How long `stop()` waits after SIGTERM before sending SIGKILL. Default: 10 000 ms. */
  stopTimeoutMs?: number;
  /** How many trailing output lines to keep for error messages. Default: 40. */
  tailLines?: number;
  /**
   * Run the child in its own process group, so a terminal's Ctrl-C reaches only this process,
   * which then stops the child in its own time. The child still dies with this process (exit
   * hook, and the parent-death signal on Linux). Default: false (shares the terminal's group).
   */
  detached?: boolean;
}

/** A long-running child process that dies with its parent where the OS allows it. */
export interface ServerProcess {
  /** OS process id. */
  readonly pid: number;
  /** True once the process has exited. */
  readonly exited: boolean;
  /** How it exited (`exit code 1`, `signal SIGTERM`), or `running`. */
  describeExit(): string;
  /** The last lines it wrote to stdout/stderr. */
  outputTail(): string[];
  /** Resolves when the process has exited (never rejects). */
  waitForExit(): Promise<void>;
  /** SIGTERM, then SIGKILL after `stopTimeoutMs`; resolves once it is gone. Idempotent. */
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Kills every still-running server process when this Node process exits normally. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of live) {
      try {
        child.kill('SIGTERM');
      } catch {
        // already gone
      }
    }
  });
}

let pdeathsigSupported: boolean | undefined;

/**
 * On Linux, `setpriv --pdeathsig TERM` makes the kernel send SIGTERM to the child when this
 * process dies for any reason (even SIGKILL), which a Node 'exit' hook cannot cover.
 */
function withParentDeathSignal(command: string, args: string[]): [string, string[]] {
  if (process.platform !== 'linux') return [command, args];
  if (pdeathsigSupported === undefined) {
    const probe = spawnSync('setpriv', ['--pdeathsig', 'TERM', '--', 'true'], { stdio: 'ignore', timeout: 5000 });
    pdeathsigSupported = probe.status === 0;
  }
  return pdeathsigSupported ? ['setpriv', ['--pdeathsig', 'TERM', '--', command, ...args]] : [command, args];
}

/** Starts `command` with piped output and resolves once the OS has created the process. */
export async function spawnServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const [command, args] = withParentDeathSignal(options.command, options.args);
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (err) => reject(new Error(`Could not start ${options.command}: ${err.message}`)));
  });
  installExitHook();
  live.add(child);

  const tailLines = options.tailLines ?? 40;
  const tail: string[] = [];
  const onLine = (line: string): void => {
    tail.push(line);
    if (tail.length > tailLines) tail.shift();
    options.log?.(line);
  };
  lineReader(child.stdout, onLine);
  lineReader(child.stderr, onLine);

  let exitInfo: string | undefined;
  const exitPromise = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exitInfo = signal ? `signal ${signal}` : `exit code ${code}`;
      live.delete(child);
      resolve();
    });
  });

  let stopping: Promise<void> | undefined;
  const stopTimeoutMs = options.stopTimeoutMs ?? 10_000;
  const stop = async (): Promise<void> => {
    if (exitInfo !== undefined) return;
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), stopTimeoutMs);
    });
    const killed = await Promise.race([exitPromise.then(() => false), timedOut]);
    clearTimeout(timer);
    if (killed) {
      child.kill('SIGKILL');
      await exitPromise;
    }
  };

  return {
    pid: child.pid as number,
    get exited() {
      return exitInfo !== undefined;
    },
    describeExit: () => exitInfo ?? 'running',
    outputTail: () => [...tail],
    waitForExit: () => exitPromise,
    stop: () => (stopping ??= stop()),
  };
}

function lineReader(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) onLine(line.trimEnd());
  });
  stream.on('end', () => {
    if (pending.trim()) onLine(pending.trimEnd());
    pending = '';
  });
}
