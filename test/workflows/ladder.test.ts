import { temporal } from '@temporalio/proto';
import { DegradedKey, HardwareKey, OutcomeKey } from '../../src/shared/search-attributes';
import { fixtureBase64 } from '../harness/fixtures';
import { EventType, eventsOf, protoMs, type HistoryEvent } from '../harness/history-events';
import { OffloadTestEnv } from '../harness/offload-env';
import { closeTestRuntimes } from '../harness/test-runtime';

const image = () => ({ image_base64: fixtureBase64('images/dog_320x240.jpg') });
const { TimeoutType } = temporal.api.enums.v1;

/** The workflow task in which the workflow scheduled `scheduled`: its start time is the workflow's clock then. */
function workflowTaskStartedBefore(events: HistoryEvent[], scheduled: HistoryEvent): HistoryEvent {
  const before = events.slice(0, events.indexOf(scheduled));
  return eventsOf(before, EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED).at(-1) as HistoryEvent;
}

afterAll(closeTestRuntimes);

describe('only a cpu worker', () => {
  let env: OffloadTestEnv;
  beforeAll(async () => {
    env = await OffloadTestEnv.start({ hardware: ['cpu'] });
  });
  afterAll(() => env?.close());

  test('a gpu-preferred task is not picked up on gpu, completes on cpu and records the step', async () => {
    const result = await env.offload.submit(
      { task_type: 'vision.detection', payload: image() },
      { policy: { route: ['gpu', 'cpu'], pickupTimeoutMs: 1000 } },
    );
    expect(result.status).toBe('completed');
    expect(result.meta.hardware).toBe('cpu');
    expect(result.meta.degradation).toEqual([
      expect.objectContaining({ from: 'gpu', to: 'cpu', reason: 'not_picked_up' }),
    ]);
    expect(result.meta.degradation[0].at_ms).toBeGreaterThanOrEqual(1000);
    const sa = (await env.client.workflow.getHandle(result.task_id).describe()).typedSearchAttributes;
    expect(sa.get(DegradedKey)).toBe(true);
    expect(sa.get(HardwareKey)).toBe('cpu');
  });
});

describe('no inference worker at all', () => {
  let env: OffloadTestEnv;
  beforeAll(async () => {
    env = await OffloadTestEnv.start({ hardware: [] });
  });
  afterAll(() => env?.close());

  test('the robot gets fallback_required before the deadline: each step is given up within a budget that ends by it', async () => {
    const deadlineMs = 4000;
    const result = await env.offload.submit(
      { task_type: 'vision.frame', payload: image() },
      { policy: { route: ['gpu', 'cpu'], deadlineMs } },
    );
    expect(result.status).toBe('failed');
    expect(result.meta.fallback_required).toBe(true);
    expect(result.meta.degradation.map((s) => [s.from, s.to, s.reason])).toEqual([
      ['gpu', 'cpu', 'not_picked_up'],
      ['cpu', 'robot', 'not_picked_up'],
    ]);
    const handle = env.client.workflow.getHandle(result.task_id);
    const sa = (await handle.describe()).typedSearchAttributes;
    expect(sa.get(OutcomeKey)).toBe('fallback');

    // When the answer reaches the robot depends on how fast the machine runs the workflow; what the
    // workflow decided does not. From the history: each step's budget, counted from the workflow's
    // clock when it planned the step, ends by the deadline, and each step ended by its pickup timeout.
    const events = (await handle.fetchHistory()).events ?? [];
    const runStart = protoMs(events[0].eventTime);
    const steps = eventsOf(events, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED).map((scheduled) => {
      const attributes = scheduled.activityTaskScheduledEventAttributes;
      const plannedAt = protoMs(workflowTaskStartedBefore(events, scheduled).eventTime);
      return { pickupEndsBy: plannedAt + protoMs(attributes?.scheduleToStartTimeout), budgetEndsBy: plannedAt + protoMs(attributes?.scheduleToCloseTimeout) };
    });
    console.log(`fallback after ${result.processing_time_ms} ms (deadline ${deadlineMs}); step budgets end ${steps.map((s) => Math.round(s.budgetEndsBy - runStart)).join(', ')} ms into the run`);
    expect(steps).toHaveLength(2);
    for (const step of steps) {
      expect(step.pickupEndsBy).toBeLessThanOrEqual(step.budgetEndsBy);
      expect(step.budgetEndsBy).toBeLessThanOrEqual(runStart + deadlineMs);
    }
    const timeouts = eventsOf(events, EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT).map((e) => e.activityTaskTimedOutEventAttributes?.failure?.timeoutFailureInfo?.timeoutType);
    expect(timeouts).toEqual([TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START, TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START]);
  });
});
