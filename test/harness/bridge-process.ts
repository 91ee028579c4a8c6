import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { findRepoRoot } from '../../src/models/model-dirs';

/** `node dist/src/bridge/main.js` as its own process (so a test can kill it), with its JSON log lines. */
export class BridgeProcess {
  readonly lines: Array<Record<string, unknown>> = [];
  private readonly exited: Promise<number | null>;

  private constructor(private readonly child: ChildProcess) {
    let buffered = '';
    const collect = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      for (const line of parts.filter(Boolean)) {
        try {
          this.lines.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          this.lines.push({ msg: line });
        }
      }
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    this.exited = new Promise((done) => child.once('exit', (code) => done(code)));
  }

  /** Starts a bridge and waits until it delivers results (its "robot bus up" line). */
  static async start(env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<BridgeProcess> {
    const child = spawn(process.execPath, [resolve(findRepoRoot(), 'dist/src/bridge/main.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const bridge = new BridgeProcess(child);
    await bridge.waitForLine((l) => l.msg === 'robot bus up: delivering results', timeoutMs);
    return bridge;
  }

  get pid(): number {
    return this.child.pid as number;
  }

  async waitForLine(match: (line: Record<string, unknown>) => boolean, timeoutMs: number): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.lines.find(match);
      if (found) return found;
      if (this.child.exitCode !== null || this.child.signalCode !== null) throw new Error(`bridge exited (${this.child.exitCode ?? this.child.signalCode}):\n${this.tail()}`);
      if (Date.now() > deadline) throw new Error(`bridge log line not seen within ${timeoutMs} ms:\n${this.tail()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** SIGKILL: no goodbye, as a crash or a pulled plug. */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM and wait for the exit code. */
  async stop(): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    return this.exited;
  }

  tail(lines = 30): string {
    return this.lines.slice(-lines).map((l) => JSON.stringify(l)).join('\n');
  }
}
