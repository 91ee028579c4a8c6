export type WatchdogMode = 'pc' | 'local';

export interface WatchdogPoll {
  /** The HTTP status, absent when the poll timed out or could not connect. */
  status?: number;
  error?: string;
  /** Consecutive failed polls after this one. */
  failures: number;
  mode: WatchdogMode;
}

export interface WatchdogOptions {
  /** The robot waits 2 s. */
  timeoutMs?: number;
  /** The robot gives up on the PC after 3 consecutive failures. */
  maxFailures?: number;
}

/**
 * The robot's provider watchdog (services/provider_watchdog.py, PROTOCOL.md): it polls
 * `GET /providers/capabilities`, reads only `version`, and counts as failures only HTTP errors and
 * timeouts; after `maxFailures` in a row every domain goes back to local. It starts in `pc` (the
 * robot's operator switched the domains) and nothing in the body switches it back.
 */
export class RobotWatchdog {
  mode: WatchdogMode = 'pc';
  version: unknown;
  readonly polls: WatchdogPoll[] = [];
  private failures = 0;
  private readonly timeoutMs: number;
  private readonly maxFailures: number;

  constructor(
    private readonly baseUrl: string,
    options: WatchdogOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 2000;
    this.maxFailures = options.maxFailures ?? 3;
  }

  async poll(): Promise<WatchdogPoll> {
    let status: number | undefined;
    let error: string | undefined;
    try {
      const response = await fetch(`${this.baseUrl}/providers/capabilities`, { signal: AbortSignal.timeout(this.timeoutMs) });
      status = response.status;
      if (response.ok) this.version = ((await response.json()) as { version?: unknown }).version;
      else await response.arrayBuffer();
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
    const failed = status === undefined || status >= 400;
    this.failures = failed ? this.failures + 1 : 0;
    if (this.failures >= this.maxFailures) this.mode = 'local';
    const poll = { ...(status !== undefined ? { status } : {}), ...(error ? { error } : {}), failures: this.failures, mode: this.mode };
    this.polls.push(poll);
    return poll;
  }

  /** Polls every `intervalMs` until `until` holds or `maxPolls` were made; the polls of this run. */
  async run(intervalMs: number, until: (poll: WatchdogPoll) => boolean, maxPolls: number): Promise<WatchdogPoll[]> {
    const polls: WatchdogPoll[] = [];
    while (polls.length < maxPolls) {
      const poll = await this.poll();
      polls.push(poll);
      if (until(poll)) break;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
    return polls;
  }
}
