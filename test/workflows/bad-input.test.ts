import { WorkflowFailedError } from '@temporalio/client';
import { InvalidTaskError } from '../../src/shared/errors';
import { fixtureBase64 } from '../harness/fixtures';
import { EventType, eventsOf } from '../harness/history-events';
import { OffloadTestEnv } from '../harness/offload-env';
import { closeTestRuntimes } from '../harness/test-runtime';

let env: OffloadTestEnv;

beforeAll(async () => {
  env = await OffloadTestEnv.start({ hardware: ['cpu'], env: { OFFLOAD_MAX_PAYLOAD_BYTES: '200000' } });
});

afterAll(async () => {
  await env?.close();
  await closeTestRuntimes();
});

const jpeg = fixtureBase64('images/dog_320x240.jpg');

test.each([
  ['an unknown task type', { task_type: 'vision.segment', payload: {} }, 'task_type'],
  ['a priority out of range', { task_type: 'vision.detection', payload: { image_base64: jpeg }, priority: 11 }, 'priority'],
  ['a priority that is not a number', { task_type: 'vision.detection', payload: { image_base64: jpeg }, priority: 'high' }, 'priority'],
  ['a missing image', { task_type: 'vision.detection', payload: {} }, 'payload.image_base64'],
  ['bad base64', { task_type: 'vision.detection', payload: { image_base64: 'not base64!!' } }, 'payload.image_base64'],
  ['an empty image', { task_type: 'vision.detection', payload: { image_base64: '' } }, 'payload.image_base64'],
  ['a payload over the size limit', { task_type: 'vision.detection', payload: { image_base64: fixtureBase64('images/bus.jpg') } }, 'payload.image_base64'],
  ['raw PCM without a sample rate', { task_type: 'voice.asr', payload: { audio_base64: 'AAAA', format: 'pcm_s16le' } }, 'payload.sample_rate'],
  ['an unknown audio format', { task_type: 'voice.asr', payload: { audio_base64: 'AAAA', format: 'mp3' } }, 'payload.format'],
  ['empty text to speak', { task_type: 'voice.tts', payload: { text: '   ' } }, 'payload.text'],
  ['a temperature out of range', { task_type: 'text.generate', payload: { prompt: 'hi', temperature: 7 } }, 'payload.temperature'],
  ['a task id with spaces', { task_id: 'a b', task_type: 'text.nlu', payload: { text: 'stop' } }, 'task_id'],
  ['a payload that is not an object', { task_type: 'text.nlu', payload: 'stop' }, 'payload'],
  ['a request that is not an object', 'vision.detection', 'task'],
])('%s is rejected at the edge, naming the field, and starts no run', async (_name, request, field) => {
  const ownRuns = { query: `TaskQueue = '${env.config.queuePrefix}-workflows'`, limit: 1000 };
  const before = await env.offload.list(ownRuns);
  const error = await env.offload.submit(request).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(InvalidTaskError);
  expect((error as InvalidTaskError).field).toBe(field);
  expect((error as InvalidTaskError).message).toContain(field);
  expect(await env.offload.list(ownRuns)).toHaveLength(before.length);
});

test('a corrupt JPEG fails the run at once with InvalidInput: one attempt, then nothing is waited for', async () => {
  const garbage = Buffer.from('this is not a jpeg at all, just bytes '.repeat(20)).toString('base64');
  const result = await env.offload.submit({ task_type: 'vision.detection', payload: { image_base64: garbage } });
  expect(result.status).toBe('failed');
  expect(result.error).toMatch(/image could not be decoded/);

  const handle = env.client.workflow.getHandle(result.task_id);
  await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
  const events = (await handle.fetchHistory()).events ?? [];
  const activityStarts = eventsOf(events, EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED);
  expect(activityStarts).toHaveLength(1);
  expect(activityStarts[0].activityTaskStartedEventAttributes?.attempt).toBe(1);
  // "At once" is what the history shows, not a wall-clock figure: once the model has said InvalidInput
  // the run waits for nothing (no retry, no next step, no timer, no timeout) and fails.
  const failed = eventsOf(events, EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED);
  expect(failed).toHaveLength(1);
  const waits = [EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, EventType.EVENT_TYPE_TIMER_STARTED, EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT];
  expect(events.slice(events.indexOf(failed[0]) + 1).filter((e) => waits.includes(e.eventType as number))).toEqual([]);
  expect(events.at(-1)?.eventType).toBe(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED);
  const failure = events.at(-1)?.workflowExecutionFailedEventAttributes?.failure;
  expect(failure?.applicationFailureInfo).toMatchObject({ type: 'InvalidInput', nonRetryable: true });
});

test('other tasks go on while bad ones fail', async () => {
  const garbage = Buffer.from('garbage').toString('base64');
  const results = await Promise.all([
    env.offload.submit({ task_type: 'vision.detection', payload: { image_base64: garbage } }),
    env.offload.submit({ task_type: 'vision.detection', payload: { image_base64: jpeg } }),
    env.offload.submit({ task_type: 'vision.detection', payload: { image_base64: garbage } }),
  ]);
  expect(results.map((r) => r.status)).toEqual(['failed', 'completed', 'failed']);
});
