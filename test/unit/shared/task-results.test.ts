import { failedResult, pendingResult, resultMeta } from '../../../src/shared/task-results';

const task = { task_id: 'asr-rider-1-17', task_type: 'voice.asr' as const, priority: 5, meta: { robot_id: 'rider-1', request_ts: 17, rerun_of: 'asr-rider-1-16', source: 'robot-bus' } };

test('resultMeta takes type, robot, priority, request time and the rerun from the task, the rest from its fields', () => {
  expect(resultMeta(task, { fallback_required: false, deadline_ms: 5000, attempts: 2, hardware: 'cpu' })).toEqual({
    task_type: 'voice.asr',
    robot_id: 'rider-1',
    priority: 5,
    request_ts: 17,
    rerun_of: 'asr-rider-1-16',
    attempts: 2,
    degradation: [],
    timings: {},
    fallback_required: false,
    deadline_ms: 5000,
    hardware: 'cpu',
  });
});

test('failedResult: no output, the error, and fallback_required as the caller decides', () => {
  const fallback = failedResult(task, { error: 'no hardware could serve the task', fallbackRequired: true, processingTimeMs: 900, meta: { deadline_ms: 5000 } });
  expect(fallback).toMatchObject({ task_id: task.task_id, status: 'failed', result: null, error: 'no hardware could serve the task', processing_time_ms: 900, meta: { fallback_required: true, deadline_ms: 5000 } });
  const failed = failedResult({ ...task, meta: {} }, { error: 'bad input', fallbackRequired: false, meta: { deadline_ms: 0 } });
  expect(failed).toMatchObject({ processing_time_ms: 0, meta: { fallback_required: false, robot_id: undefined } });
  expect(failed.meta).not.toHaveProperty('request_ts');
});

test('pendingResult: a run not finished yet owes nothing', () => {
  expect(pendingResult(task)).toMatchObject({ status: 'pending', result: null, error: null, meta: { fallback_required: false, deadline_ms: 0 } });
});
