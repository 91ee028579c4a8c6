import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { findFreePort } from '../../temporal/free-port';
import { spawnServerProcess, type ServerProcess } from '../../temporal/server-process';
import { findRepoRoot } from '../../src/models';
import { testDeadlines } from './test-deadlines';

const DIST = resolve(findRepoRoot(), 'dist', 'src');

export interface StackProcess {
  name: string;
  process: ServerProcess;
  /** Every line it wrote (stdout and stderr), in order. */
  lines: string[];
}

/**
 * Offload as production runs it, one OS process each: the workflow worker, inference workers and
 * the API, against the test Temporal server, on their own task queues, with real models.
 */
export class ProcessStack {
  readonly processes: StackProcess[] = [];

  private constructor(
    readonly env: NodeJS.ProcessEnv,
    readonly apiUrl: string,
  ) {}

  static async start(options: { hardware: string[]; env?: Record<string, string> }): Promise<ProcessStack> {
    const address = process.env.OFFLOAD_TEST_TEMPORAL_ADDRESS;
    if (!address) throw new Error('OFFLOAD_TEST_TEMPORAL_ADDRESS is not set: run the tests through jest');
    const apiPort = await findFreePort();
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TEMPORAL_ADDRESS: address,
      OFFLOAD_TASK_QUEUE_PREFIX: `tel-${randomBytes(4).toString('hex')}`,
      OFFLOAD_MODEL_DIR: process.env.OFFLOAD_TEST_MODEL_DIR,
      OFFLOAD_API_HOST: '127.0.0.1',
      OFFLOAD_API_PORT: String(apiPort),
      OFFLOAD_WORKER_METRICS_HOST: '127.0.0.1',
      OFFLOAD_LOG_LEVEL: 'info',
      OFFLOAD_DEADLINES_MS: testDeadlines(),
      ...options.env,
    };
    const stack = new ProcessStack(env, `http://127.0.0.1:${apiPort}`);
    try {
      await stack.spawn('workflow-worker', 'main/workflow-worker.js', []);
      for (const hardware of options.hardware) await stack.spawn(`${hardware}-worker`, 'main/inference-worker.js', ['--hardware', hardware]);
      await stack.spawn('api', 'main/api.js', []);
      await stack.waitForReady(180_000);
      return stack;
    } catch (err) {
      await stack.stop();
      throw err;
    }
  }

  logOf(name: string): string[] {
    return this.processes.find((p) => p.name === name)?.lines ?? [];
  }

  allLines(): string[] {
    return this.processes.flatMap((p) => p.lines);
  }

  async stop(): Promise<void> {
    for (const p of [...this.processes].reverse()) await p.process.stop();
  }

  private async spawn(name: string, script: string, args: string[]): Promise<void> {
    const lines: string[] = [];
    const child = await spawnServerProcess({
      command: process.execPath,
      args: [resolve(DIST, script), ...args],
      env: this.env,
      stopTimeoutMs: 15_000,
      log: (line) => lines.push(line),
    });
    this.processes.push({ name, process: child, lines });
  }

  private async waitForReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      const dead = this.processes.find((p) => p.process.exited);
      if (dead) throw new Error(`${dead.name} exited (${dead.process.describeExit()}):\n${dead.lines.slice(-30).join('\n')}`);
      try {
        const response = await fetch(`${this.apiUrl}/readyz`, { signal: AbortSignal.timeout(2000) });
        if (response.ok) return;
        last = await response.text();
      } catch (err) {
        last = err instanceof Error ? err.message : String(err);
      }
      await new Promise((r) => setTimeout(r, 300));
    }
    throw new Error(`the stack was not ready after ${timeoutMs} ms: ${last}`);
  }
}
