import { OutcomeKey } from '../../../src/shared/search-attributes';
import type { TaskResult } from '../../../src/shared/task';
import { closeTestRuntimes, testRuntime } from '../../harness/test-runtime';
import { robotFrames } from '../../harness/robot-simulator';
import { TEST_DEADLINE_MS } from '../../harness/test-deadlines';
import { BridgeTestEnv } from '../../harness/bridge-env';

let t: BridgeTestEnv;

beforeAll(async () => {
  await testRuntime('cpu');
  // No inference worker yet: frames wait in the queue, for as long as the machine needs to supersede them.
  t = await BridgeTestEnv.start({ hardware: [], env: { OFFLOAD_ROUTES: 'vision.frame=cpu', OFFLOAD_PICKUP_TIMEOUT_MS: String(TEST_DEADLINE_MS) } });
}, 120_000);

afterAll(async () => {
  await t?.close();
  await closeTestRuntimes();
});

test('a newer frame supersedes the queued older ones: they are skipped and say so; only the newest is answered', async () => {
  const jpeg = robotFrames()[0].toString('base64');
  const base = Date.now() / 1000;
  const ts = [base, base + 0.2, base + 0.4];
  for (const frameTs of ts) {
    await t.robot.publish('vision.frame.offload', { ts: frameTs, frame_jpeg: jpeg, size: { w: 320, h: 240 } });
    await new Promise((r) => setTimeout(r, 200));
  }
  const ids = ts.map((frameTs) => `frame-${t.robotId}-${frameTs}`);
  const handles = ids.map((id) => t.env.client.workflow.getHandle(id));
  // the two older runs end superseded while no worker has looked at them
  const older = (await Promise.all(handles.slice(0, 2).map((h) => h.result()))) as TaskResult[];
  await t.env.startInferenceWorker('cpu');
  const newest = (await handles[2].result()) as TaskResult;

  expect(older.map((r) => [r.status, r.meta.superseded_by, (r.meta.delivery as { status: string }).status])).toEqual([
    ['failed', ids[1], 'superseded'],
    ['failed', ids[2], 'superseded'],
  ]);
  for (const handle of handles.slice(0, 2)) expect((await handle.describe()).typedSearchAttributes.get(OutcomeKey)).toBe('superseded');
  expect(newest).toMatchObject({ status: 'completed', meta: { delivery: { status: 'delivered' } } });
  const answer = await t.robot.waitFor('vision.obstacle.enhanced', (p) => (p.meta as { request_ts: number }).request_ts === ts[2], 30_000);
  expect(answer.payload.present).toEqual(expect.any(Boolean));
  expect(t.robot.received.filter((m) => m.topic === 'vision.obstacle.enhanced')).toHaveLength(1);
  expect(await t.counter('bridge_frames_superseded_total')).toBe(2);
}, 60_000);
