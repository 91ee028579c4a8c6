import { temporal } from '@temporalio/proto';
import { localActivityOf } from '../../harness/history-events';
import { OutcomeKey } from '../../../src/shared/search-attributes';
import type { TaskResult } from '../../../src/shared/task';
import { BridgeTestEnv } from '../../harness/bridge-env';
import { robotFrames } from '../../harness/robot-simulator';
import { TEST_DEADLINE_MS } from '../../harness/test-deadlines';

/** Long enough that every frame is superseded while it waits, short enough for a quick test; the run keeps 500 ms of it to deliver. */
const FRAME_DEADLINE_MS = 6000;
/** Far apart, so that each fail-safe reaches the robot before the next frame's. */
const FRAME_GAP_MS = 1000;

describe.each([
  { fastPath: 'on', delivery: ['MARKER_RECORDED deliverResult'] },
  { fastPath: 'off', delivery: ['ACTIVITY_TASK_SCHEDULED deliverResult', 'ACTIVITY_TASK_STARTED', 'ACTIVITY_TASK_COMPLETED'] },
])('fast path $fastPath', ({ fastPath, delivery }) => {
let t: BridgeTestEnv;

beforeAll(async () => {
  // No inference worker ever: the frames wait in the queue until a newer one supersedes them, and
  // the newest until its deadline (no pickup timeout before it). Not answered at once for want of a
  // worker: that is the fast fallback's test.
  t = await BridgeTestEnv.start({
    hardware: [],
    env: {
      OFFLOAD_ROUTES: 'vision.frame=cpu',
      OFFLOAD_DEADLINES_MS: `vision.frame=${FRAME_DEADLINE_MS}`,
      OFFLOAD_PICKUP_TIMEOUT_MS: String(TEST_DEADLINE_MS),
      OFFLOAD_BRIDGE_FAST_FALLBACK: 'off',
      OFFLOAD_FAST_PATH: fastPath,
    },
  });
}, 120_000);

afterAll(async () => {
  await t?.close();
});

/** The run's history as event type names, activity events with their activity. */
async function events(workflowId: string): Promise<string[]> {
  const history = await t.env.client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).map((e) => {
    const activity = e.activityTaskScheduledEventAttributes?.activityType?.name ?? localActivityOf(e);
    const name = temporal.api.enums.v1.EventType[e.eventType ?? 0].replace(/^EVENT_TYPE_/, '');
    return activity ? `${name} ${activity}` : name;
  });
}

test(`superseding skips inference, never the answer: with no newer result, every superseded frame gives its fail-safe before its deadline, held by the bridge until just before it`, async () => {
  const jpeg = robotFrames()[0].toString('base64');
  const base = Date.now() / 1000;
  const ts = [base, base + 1, base + 2];
  for (const frameTs of ts) {
    await t.robot.publish('vision.frame.offload', { ts: frameTs, frame_jpeg: jpeg, size: { w: 320, h: 240 } });
    await new Promise((r) => setTimeout(r, FRAME_GAP_MS));
  }
  const ids = ts.map((frameTs) => `frame-${t.robotId}-${frameTs}`);
  const results = (await Promise.all(ids.map((id) => t.env.client.workflow.getHandle(id).result()))) as TaskResult[];
  const answers = ts.map((frameTs) => t.robot.answersTo('vision.obstacle.enhanced', { requestTs: frameTs }));

  // One fail-safe answer per frame: an obstacle of unknown distance, the robot to do it itself.
  expect(answers.map((a) => a.length)).toEqual([1, 1, 1]);
  for (const [answer] of answers) expect(answer.payload).toMatchObject({ present: true, confidence: 0, meta: { fallback_required: true } });
  // The older two were superseded (their inference never ran) and delivered their fail-safe; the newest fell back on its own.
  expect(results.map((r) => [r.status, r.meta.fallback_required, r.meta.superseded_by, (r.meta.delivery as { status: string }).status])).toEqual([
    ['failed', true, ids[1], 'delivered'],
    ['failed', true, ids[2], 'delivered'],
    ['failed', true, undefined, 'delivered'],
  ]);
  for (const id of ids.slice(0, 2)) {
    const history = await events(id);
    // queued inference cancelled before it started, then the fail-safe handed to the bridge at once
    // (on the fast path by a local activity in the bridge, which may close the run before the server records the cancellation)
    if (fastPath === 'off') expect(history).toContain('ACTIVITY_TASK_CANCELED');
    expect(history.filter((e) => /^(ACTIVITY_TASK|TIMER|MARKER_RECORDED \w)/.test(e) && e !== 'ACTIVITY_TASK_CANCELED')).toEqual([
      'ACTIVITY_TASK_SCHEDULED runDetectionModel',
      'ACTIVITY_TASK_CANCEL_REQUESTED',
      ...delivery,
    ]);
    expect((await t.env.client.workflow.getHandle(id).describe()).typedSearchAttributes.get(OutcomeKey)).toBe('fallback');
  }
  // each answered within the frame's deadline (the bridge drops a result past it as stale); the
  // superseded ones held by the bridge until the 500 ms delivery reserve before it, not published at once
  for (const r of results) expect((r.meta.delivery as { latency_ms: number }).latency_ms).toBeLessThanOrEqual(FRAME_DEADLINE_MS);
  for (const r of results.slice(0, 2)) expect((r.meta.delivery as { latency_ms: number }).latency_ms).toBeGreaterThanOrEqual(FRAME_DEADLINE_MS - 500);
  expect(await t.counter('bridge_frames_superseded_total')).toBe(2);
}, 120_000);
});
