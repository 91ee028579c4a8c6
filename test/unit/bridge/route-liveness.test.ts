import { RouteLiveness } from '../../../src/bridge/route-liveness';
import { DEFAULT_ROUTES } from '../../../src/config/defaults';
import type { Hardware, TaskType } from '../../../src/shared/task-types';

/** A probe whose answers the test hands out one by one (a fake of Temporal's ListWorkers for this one piece). */
function scriptedProbe() {
  const pending: Array<(workers: Record<Hardware, number> | Error) => void> = [];
  return {
    calls: () => pending.length,
    workers: {
      liveWorkers: () =>
        new Promise<Record<Hardware, number>>((resolve, reject) => pending.push((answer) => (answer instanceof Error ? reject(answer) : resolve(answer)))),
    },
    async answer(workers: Record<Hardware, number> | Error) {
      pending[pending.length - 1](workers);
      await new Promise((r) => setImmediate(r));
    },
  };
}

const routes: Record<TaskType, Hardware[]> = { ...DEFAULT_ROUTES, 'vision.frame': ['gpu', 'cpu'], 'voice.tts': ['cpu'] };

test('says nothing before its first probe answers; then "unserved" only for routes with no live worker', async () => {
  const probe = scriptedProbe();
  let now = 0;
  const changes: TaskType[][] = [];
  const liveness = new RouteLiveness({ workers: probe.workers, routes, now: () => now, onChange: (unserved) => changes.push(unserved) });
  expect(liveness.unserved('vision.frame')).toBe(false);
  expect(probe.calls()).toBe(1);
  await probe.answer({ gpu: 1, cpu: 0 });
  expect(liveness.unserved('vision.frame')).toBe(false);
  expect(liveness.unserved('voice.tts')).toBe(true);
  expect(changes).toEqual([['voice.tts']]);
  now = 1001;
  liveness.unserved('vision.frame');
  await probe.answer({ gpu: 0, cpu: 0 });
  expect(liveness.unserved('vision.frame')).toBe(true);
  expect(changes).toHaveLength(2);
});

test('probes at most once a second and never while a probe is in progress; asking never waits for it', async () => {
  const probe = scriptedProbe();
  let now = 0;
  const liveness = new RouteLiveness({ workers: probe.workers, routes, now: () => now });
  for (let i = 0; i < 50; i++) liveness.unserved('vision.frame');
  expect(probe.calls()).toBe(1);
  now = 5000;
  liveness.unserved('vision.frame');
  expect(probe.calls()).toBe(1);
  await probe.answer({ gpu: 0, cpu: 0 });
  now = 5500;
  liveness.unserved('vision.frame');
  expect(probe.calls()).toBe(2);
});

test('an old or failed probe says nothing: the request runs', async () => {
  const probe = scriptedProbe();
  let now = 0;
  const liveness = new RouteLiveness({ workers: probe.workers, routes, now: () => now, refreshMs: 1000, maxAgeMs: 5000 });
  liveness.unserved('vision.frame');
  await probe.answer({ gpu: 0, cpu: 0 });
  expect(liveness.unserved('vision.frame')).toBe(true);
  now = 2000;
  liveness.unserved('vision.frame');
  await probe.answer(new Error('Temporal is down'));
  now = 5001;
  expect(liveness.unserved('vision.frame')).toBe(false);
});
