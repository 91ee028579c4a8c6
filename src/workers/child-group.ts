import { spawnServerProcess, type ServerProcess } from '../../temporal/server-process';
import type { Logger } from '../telemetry/logger';

interface Child {
  name: string;
  script: string;
  args: string[];
  process: ServerProcess;
  restarts: number[];
}

const MAX_RESTARTS_PER_MINUTE = 5;

/**
 * Node child processes that run in their own process group (so a terminal's Ctrl-C reaches only the
 * supervisor, which stops them in order), restarted when they crash, stopped in reverse start order.
 */
export class ChildGroup {
  private readonly children: Child[] = [];
  private stopping = false;

  constructor(
    private readonly log: Logger,
    private readonly env: Readonly<Record<string, string | undefined>>,
    /** Prints one line a child wrote. */
    private readonly printLine: (child: string, line: string) => void,
  ) {}

  async start(name: string, script: string, args: string[]): Promise<void> {
    const child: Child = { name, script, args, process: await this.spawn(name, script, args), restarts: [] };
    this.children.push(child);
    this.log.info({ child: name, pid: child.process.pid }, `started ${name}`);
    this.watch(child);
  }

  async stopAll(): Promise<void> {
    this.stopping = true;
    for (const child of [...this.children].reverse()) {
      await child.process.stop();
      this.log.info({ child: child.name, exit: child.process.describeExit() }, `${child.name} stopped`);
    }
  }

  private spawn(name: string, script: string, args: string[]): Promise<ServerProcess> {
    return spawnServerProcess({
      command: process.execPath,
      args: [script, ...args],
      env: this.env,
      detached: true,
      stopTimeoutMs: 45_000,
      log: (line) => this.printLine(name, line),
    });
  }

  private watch(child: Child): void {
    void child.process.waitForExit().then(async () => {
      if (this.stopping) return;
      const now = Date.now();
      child.restarts = child.restarts.filter((t) => now - t < 60_000);
      if (child.restarts.length >= MAX_RESTARTS_PER_MINUTE) {
        this.log.error({ child: child.name }, `${child.name} keeps crashing (${child.process.describeExit()}); not restarting it`);
        return;
      }
      child.restarts.push(now);
      this.log.warn({ child: child.name, exit: child.process.describeExit() }, `${child.name} exited; restarting`);
      await new Promise((resolve) => setTimeout(resolve, 1000 * child.restarts.length));
      if (this.stopping) return;
      child.process = await this.spawn(child.name, child.script, child.args);
      this.watch(child);
    });
  }
}
