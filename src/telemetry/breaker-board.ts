import { HARDWARE_CLASSES, type Hardware } from '../shared/task-types';

export type BreakerState = 'closed' | 'half-open' | 'open';

/** Prometheus codes of the old PC: 0 closed, 1 half-open, 2 open. */
export const BREAKER_STATE_CODE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

export interface BreakerOptions {
  /** Consecutive failures (within `failureWindowMs`) that open the breaker (default 5, as the old PC). */
  failureThreshold?: number;
  /** Only failures this recent count towards opening (default 60 s). */
  failureWindowMs?: number;
  /** An open breaker turns half-open this long after its last failure (default 60 s, as the old PC). */
  openMs?: number;
  /** Consecutive successes that close a half-open breaker (default 2, as the old PC). */
  successThreshold?: number;
  now?: () => number;
}

export interface BreakerSnapshot {
  state: BreakerState;
  consecutiveFailures: number;
}

/**
 * One circuit breaker per hardware queue, fed with the outcome of every ladder step on it.
 *
 * Temporal's timeouts and the ladder do the actual routing, so this breaker never blocks a task:
 * it reports what the old PC's breaker would have said, for dashboards, alerts and the robot bus.
 * - closed -> open: `failureThreshold` consecutive failures (not picked up, failed, past the
 *   deadline), each within `failureWindowMs` of the newest;
 * - open -> half-open: `openMs` after the last failure, or at the first success while open;
 * - half-open -> closed: `successThreshold` consecutive successes (the first one included);
 *   half-open -> open: any failure.
 */
export class BreakerBoard {
  private readonly breakers = new Map<Hardware, { state: BreakerState; failures: number[]; successes: number; openedAt: number }>();
  private readonly failureThreshold: number;
  private readonly failureWindowMs: number;
  private readonly openMs: number;
  private readonly successThreshold: number;
  private readonly now: () => number;

  constructor(options: BreakerOptions = {}) {
    this.failureThreshold = options.failureThreshold ?? 5;
    this.failureWindowMs = options.failureWindowMs ?? 60_000;
    this.openMs = options.openMs ?? 60_000;
    this.successThreshold = options.successThreshold ?? 2;
    this.now = options.now ?? Date.now;
    for (const hardware of HARDWARE_CLASSES) this.breakers.set(hardware, { state: 'closed', failures: [], successes: 0, openedAt: 0 });
  }

  recordFailure(hardware: Hardware): void {
    const breaker = this.breaker(hardware);
    const now = this.now();
    breaker.successes = 0;
    if (breaker.state !== 'closed') {
      breaker.state = 'open';
      breaker.openedAt = now;
      return;
    }
    breaker.failures = [...breaker.failures.filter((t) => now - t < this.failureWindowMs), now];
    if (breaker.failures.length >= this.failureThreshold) {
      breaker.state = 'open';
      breaker.openedAt = now;
      breaker.failures = [];
    }
  }

  recordSuccess(hardware: Hardware): void {
    const breaker = this.breaker(hardware);
    breaker.failures = [];
    if (breaker.state === 'closed') return;
    breaker.state = 'half-open';
    breaker.successes += 1;
    if (breaker.successes >= this.successThreshold) {
      breaker.state = 'closed';
      breaker.successes = 0;
    }
  }

  state(hardware: Hardware): BreakerState {
    return this.breaker(hardware).state;
  }

  snapshot(): Record<Hardware, BreakerSnapshot> {
    const now = this.now();
    return Object.fromEntries(
      HARDWARE_CLASSES.map((hardware) => {
        const breaker = this.breaker(hardware);
        const recent = breaker.failures.filter((t) => now - t < this.failureWindowMs).length;
        return [hardware, { state: breaker.state, consecutiveFailures: recent }];
      }),
    ) as Record<Hardware, BreakerSnapshot>;
  }

  states(): Record<Hardware, BreakerState> {
    return Object.fromEntries(HARDWARE_CLASSES.map((hardware) => [hardware, this.state(hardware)])) as Record<Hardware, BreakerState>;
  }

  private breaker(hardware: Hardware) {
    const breaker = this.breakers.get(hardware);
    if (!breaker) throw new Error(`no circuit breaker for hardware "${hardware}"`);
    if (breaker.state === 'open' && this.now() - breaker.openedAt >= this.openMs) {
      breaker.state = 'half-open';
      breaker.successes = 0;
    }
    return breaker;
  }
}
