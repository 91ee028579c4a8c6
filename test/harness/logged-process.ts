import type { ChildProcess } from 'node:child_process';

/** A child process whose stdout/stderr lines are collected (JSON lines parsed; others kept as `msg`). */
export class LoggedProcess {
  readonly lines: Array<Record<string, unknown>> = [];
  private readonly exited: Promise<number | null>;

  constructor(
    protected readonly child: ChildProcess,
    /** Names the process in errors. */
    private readonly label: string,
  ) {
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

  get pid(): number {
    return this.child.pid as number;
  }

  hasExited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  async waitForLine(match: (line: Record<string, unknown>) => boolean, timeoutMs: number): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.lines.find(match);
      if (found) return found;
      if (this.hasExited()) throw new Error(`${this.label} exited (${this.child.exitCode ?? this.child.signalCode}):\n${this.tail()}`);
      if (Date.now() > deadline) throw new Error(`${this.label} log line not seen within ${timeoutMs} ms:\n${this.tail()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** SIGKILL: no drain, no goodbye, as a crash or a pulled plug. Idempotent. */
  async kill(): Promise<void> {
    if (!this.hasExited()) this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM and wait for the exit code. */
  async stop(): Promise<number | null> {
    if (!this.hasExited()) this.child.kill('SIGTERM');
    return this.exited;
  }

  tail(lines = 30): string {
    return this.lines.slice(-lines).map((l) => JSON.stringify(l)).join('\n');
  }
}
