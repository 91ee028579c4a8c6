import { FrameTracker, type FrameRunControl } from '../../../src/bridge/frame-tracker';

/** A control whose runs are "queued" until marked started (a fake of Temporal for this one piece). */
function fakeRuns() {
  const started = new Set<string>();
  /** Signals sent: [frame, newer frame, whether the newer frame's result was delivered]. */
  const superseded: Array<[string, string, boolean]> = [];
  const control: FrameRunControl = {
    isQueued: async (taskId) => !started.has(taskId),
    supersede: async (taskId, by, delivered) => void superseded.push([taskId, by, delivered]),
  };
  return { control, started, superseded };
}

/** A frame arrives and its run starts at once. */
async function arrive(tracker: FrameTracker, taskId: string, ts: number, now: number, robot = 'r'): Promise<void> {
  tracker.received(robot, taskId, ts, now);
  await tracker.admitted(robot, taskId);
}

test('a newer frame supersedes older frames still waiting for inference, not the one being inferred; a superseded frame stays tracked until answered', async () => {
  const runs = fakeRuns();
  const tracker = new FrameTracker({ control: runs.control, forgetAfterMs: 10_000 });
  await arrive(tracker, 'f1', 1, 0);
  runs.started.add('f1');
  await arrive(tracker, 'f2', 2, 100);
  await arrive(tracker, 'f3', 3, 200);
  await arrive(tracker, 'f4', 4, 300);
  // f2 is told once (f4 does not tell it again); f3 by f4
  expect(runs.superseded).toEqual([
    ['f2', 'f3', false],
    ['f3', 'f4', false],
  ]);
  expect(tracker.inFlightCount('r')).toBe(4);
});

test('a superseded frame waiting to give its fail-safe is told when a newer result reaches the robot, and counted once', async () => {
  const runs = fakeRuns();
  const counted: string[] = [];
  const tracker = new FrameTracker({ control: runs.control, forgetAfterMs: 10_000, onSuperseded: (taskId) => counted.push(taskId) });
  await arrive(tracker, 'f1', 1, 0);
  await arrive(tracker, 'f2', 2, 100);
  await tracker.delivered('r', 'f2', 2);
  expect(runs.superseded).toEqual([
    ['f1', 'f2', false],
    ['f1', 'f2', true],
  ]);
  expect(counted).toEqual(['f1']);
  expect(tracker.inFlightCount('r')).toBe(0);
});

test('a delivered frame supersedes every older frame in flight and makes later older results outdated', async () => {
  const runs = fakeRuns();
  const tracker = new FrameTracker({ control: runs.control, forgetAfterMs: 10_000 });
  for (const [id, ts] of [['f1', 1], ['f2', 2], ['f3', 3]] as const) {
    runs.started.add(id);
    await arrive(tracker, id, ts, ts);
  }
  await tracker.delivered('r', 'f3', 3);
  expect(runs.superseded).toEqual([
    ['f1', 'f3', true],
    ['f2', 'f3', true],
  ]);
  expect(tracker.isOutdated('r', 2)).toBe(true);
  expect(tracker.isOutdated('r', 4)).toBe(false);
  expect(tracker.isOutdated('other-robot', 2)).toBe(false);
});

test('a frame received after a delivery is not outdated by it, even with an older ts (the robot clock went back, or that ts was junk)', async () => {
  const runs = fakeRuns();
  const tracker = new FrameTracker({ control: runs.control, forgetAfterMs: 10_000 });
  await tracker.delivered('r', 'junk', 9e9, 100, 200);
  expect(tracker.isOutdated('r', 5, 150)).toBe(true);
  expect(tracker.isOutdated('r', 5, 300)).toBe(false);
  await tracker.delivered('r', 'f5', 5, 300, 400);
  // the robot's newest delivered frame counts again: older frames received before it are outdated
  expect(tracker.isOutdated('r', 4, 350)).toBe(true);
  expect(tracker.isOutdated('r', 6, 350)).toBe(false);
});

test('robots do not supersede each other, and old entries are forgotten', async () => {
  const runs = fakeRuns();
  const tracker = new FrameTracker({ control: runs.control, forgetAfterMs: 1000 });
  await arrive(tracker, 'a1', 1, 0, 'a');
  await arrive(tracker, 'b1', 2, 0, 'b');
  expect(runs.superseded).toEqual([]);
  await arrive(tracker, 'a2', 3, 5000, 'a');
  expect(runs.superseded).toEqual([]);
  expect(tracker.inFlightCount('a')).toBe(1);
});

test('a frame whose run starts after a newer frame\'s is superseded as soon as its run exists', async () => {
  const runs = fakeRuns();
  const tracker = new FrameTracker({ control: runs.control, forgetAfterMs: 10_000 });
  tracker.received('r', 'f1', 1, 0);
  await arrive(tracker, 'f2', 2, 100);
  expect(runs.superseded).toEqual([]);
  await tracker.admitted('r', 'f1');
  expect(runs.superseded).toEqual([['f1', 'f2', false]]);
});

test('a held fail-safe is released at its time, when a newer frame is delivered (then outdated), or by releaseHeld oldest first', async () => {
  const runs = fakeRuns();
  const tracker = new FrameTracker({ control: runs.control, forgetAfterMs: 10_000 });
  const released: number[] = [];
  const hold = (ts: number, until: number) => tracker.hold('r', ts, until, 0).then(() => released.push(ts));
  const byTime = hold(1, 20);
  await byTime;
  expect(released).toEqual([1]);
  const outdated = hold(2, 60_000);
  await tracker.delivered('r', 'f3', 3);
  await outdated;
  expect(tracker.isOutdated('r', 2)).toBe(true);
  const later = [hold(5, 60_000), hold(4, 60_000)];
  tracker.releaseHeld('r');
  await Promise.all(later);
  expect(released).toEqual([1, 2, 4, 5]);
  // a frame already outdated is not held at all
  await hold(2.5, 60_000);
  expect(released).toEqual([1, 2, 4, 5, 2.5]);
});
