import { SessionHost } from '../../src/models/threads/session-host';

export interface SessionRunProbe {
  /** SessionHost runs started while the probe was on. */
  runs: number;
  /** Runs during which two timers in a row (0 ms, the second set by the first) fired before the result. */
  runsTheLoopTurnedTwiceDuring: number;
  stop(): void;
}

/** Two timers in a row, from now: whether both fired before `done()` turned true. */
export function twoTimersBefore(done: () => boolean): Promise<boolean> {
  return new Promise((resolve) => {
    setTimeout(() => (done() ? resolve(false) : setTimeout(() => resolve(!done()), 0)), 0);
  });
}

/**
 * Sets two timers in a row as each model run (SessionHost.run) starts. A model computed on this
 * thread holds its event loop from the moment it starts computing to its result: one timer may slip
 * in before that, never two. Both fire before the result only if the loop is free meanwhile.
 */
export function probeSessionRuns(): SessionRunProbe {
  const run = SessionHost.prototype.run;
  const probe: SessionRunProbe = {
    runs: 0,
    runsTheLoopTurnedTwiceDuring: 0,
    stop: () => {
      SessionHost.prototype.run = run;
    },
  };
  SessionHost.prototype.run = function (this: SessionHost, ...args: Parameters<SessionHost['run']>) {
    probe.runs += 1;
    let done = false;
    void twoTimersBefore(() => done).then((turned) => {
      if (turned) probe.runsTheLoopTurnedTwiceDuring += 1;
    });
    return run.apply(this, args).finally(() => {
      done = true;
    });
  };
  return probe;
}
