import { OutcomeKey } from '../../../src/shared/search-attributes';
import type { TaskResult } from '../../../src/shared/task';
import { closeTestRuntimes, testRuntime } from '../../harness/test-runtime';
import { robotFrames } from '../../harness/robot-simulator';
import { TEST_DEADLINE_MS } from '../../harness/test-deadlines';
import { BridgeTestEnv } from '../../harness/bridge-env';
import { waitUntil } from '../../harness/poll-until';
import { calledActivities } from '../../harness/history-events';

/** The activities a run scheduled, in order. */
async function activityTypes(workflowId: string): Promise<string[]> {
  const history = await t.env.client.workflow.getHandle(workflowId).fetchHistory();
  return calledActivities(history.events ?? []);
}

/** The run has asked to cancel its (queued) inference. */
async function cancelRequested(handle: { fetchHistory(): Promise<{ events?: Array<{ activityTaskCancelRequestedEventAttributes?: unknown }> | null }> }): Promise<boolean> {
  return ((await handle.fetchHistory()).events ?? []).some((e) => e.activityTaskCancelRequestedEventAttributes);
}

let t: BridgeTestEnv;

beforeAll(async () => {
  await testRuntime('cpu');
  // No inference worker yet: frames wait in the queue, for as long as the machine needs to supersede them
  // (and are not answered at once for want of a worker: that is the fast fallback's test).
  t = await BridgeTestEnv.start({
    hardware: [],
    env: { OFFLOAD_ROUTES: 'vision.frame=cpu', OFFLOAD_PICKUP_TIMEOUT_MS: String(TEST_DEADLINE_MS), OFFLOAD_BRIDGE_FAST_FALLBACK: 'off' },
  });
}, 120_000);

afterAll(async () => {
  await t?.close();
  await closeTestRuntimes();
});

test('a newer frame supersedes the queued older ones: their inference is skipped, and once the newest is delivered they need no answer and say so', async () => {
  const jpeg = robotFrames()[0].toString('base64');
  const base = Date.now() / 1000;
  const ts = [base, base + 0.2, base + 0.4];
  for (const frameTs of ts) {
    await t.robot.publish('vision.frame.offload', { ts: frameTs, frame_jpeg: jpeg, size: { w: 320, h: 240 } });
    await new Promise((r) => setTimeout(r, 200));
  }
  const ids = ts.map((frameTs) => `frame-${t.robotId}-${frameTs}`);
  const handles = ids.map((id) => t.env.client.workflow.getHandle(id));
  // The two older runs are superseded while no worker has looked at them; the bridge holds their
  // fail-safes (their deadline is the test's) until the newest frame's result reaches the robot.
  await waitUntil('both older frames are superseded', async () => (await t.counter('bridge_frames_superseded_total')) === 2, 60_000);
  // Signalled is not yet cancelled: a worker started before the runs asked to cancel their inference would run it.
  await waitUntil('both older runs cancelled their inference', async () => (await Promise.all(handles.slice(0, 2).map(cancelRequested))).every(Boolean), 60_000);
  await t.env.startInferenceWorker('cpu');
  const newest = (await handles[2].result()) as TaskResult;
  const older = (await Promise.all(handles.slice(0, 2).map((h) => h.result()))) as TaskResult[];

  expect(older.map((r) => [r.status, r.meta.superseded_by, (r.meta.delivery as { status: string }).status])).toEqual([
    ['failed', ids[1], 'superseded'],
    ['failed', ids[2], 'superseded'],
  ]);
  for (const r of older) expect((r.meta.delivery as { detail: string }).detail).toMatch(/newer frame was already delivered; dropped/);
  // Their inference never ran; their fail-safe went to the bridge, which dropped it once the newest was delivered, not at their deadline.
  for (const handle of handles.slice(0, 2)) expect(await activityTypes(handle.workflowId)).toEqual(['runDetectionModel', 'deliverResult']);
  for (const r of older) expect((r.meta.delivery as { latency_ms: number }).latency_ms).toBeLessThan(TEST_DEADLINE_MS);
  for (const handle of handles.slice(0, 2)) expect((await handle.describe()).typedSearchAttributes.get(OutcomeKey)).toBe('superseded');
  expect(newest).toMatchObject({ status: 'completed', meta: { delivery: { status: 'delivered' } } });
  const answer = await t.robot.waitFor('vision.obstacle.enhanced', (p) => (p.meta as { request_ts: number }).request_ts === ts[2], 30_000);
  expect(answer.payload.present).toEqual(expect.any(Boolean));
  expect(t.robot.received.filter((m) => m.topic === 'vision.obstacle.enhanced')).toHaveLength(1);
  expect(await t.counter('bridge_frames_superseded_total')).toBe(2);
}, 60_000);
