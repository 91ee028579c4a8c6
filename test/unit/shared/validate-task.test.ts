import { InvalidTaskError } from '../../../src/shared/errors';
import type { TaskType } from '../../../src/shared/task-types';
import { validateTask } from '../../../src/shared/validate-task';

const options = { maxPayloadBytes: 16, newTaskId: (taskType: TaskType) => `new-${taskType}` };
const TINY_IMAGE = Buffer.from('jpeg').toString('base64');

/** The field and problem a rejected request is reported with. */
function rejection(input: unknown): { field: string; problem: string } {
  try {
    validateTask(input, options);
  } catch (err) {
    if (err instanceof InvalidTaskError) return { field: err.field, problem: err.problem };
    throw err;
  }
  throw new Error('the request was accepted');
}

describe('validateTask', () => {
  test('fills in the task id, meta and the task type default priority', () => {
    expect(validateTask({ task_type: 'vision.frame', payload: { image_base64: TINY_IMAGE } }, options)).toEqual({
      task_id: 'new-vision.frame',
      task_type: 'vision.frame',
      payload: { image_base64: TINY_IMAGE },
      meta: {},
      priority: 1,
    });
    expect(validateTask({ task_type: 'voice.tts', payload: { text: 'hi' } }, options).priority).toBe(6);
  });

  test('keeps what the caller set, and extra payload fields', () => {
    const task = validateTask(
      { task_id: 'robot-1/frame:42', task_type: 'text.nlu', payload: { text: 'stop', lang: 'pl' }, meta: { robot_id: 'r1' }, priority: 10 },
      options,
    );
    expect(task).toEqual({ task_id: 'robot-1/frame:42', task_type: 'text.nlu', payload: { text: 'stop', lang: 'pl' }, meta: { robot_id: 'r1' }, priority: 10 });
  });

  test.each([
    ['a non-object request', 'hello', 'task', 'must be a JSON object'],
    ['an array request', [], 'task', 'must be a JSON object'],
    ['an unknown task type', { task_type: 'vision.ocr', payload: {} }, 'task_type', 'must be one of'],
    ['a payload that is not an object', { task_type: 'text.nlu', payload: 'stop' }, 'payload', 'Expected object'],
    ['a task id with a space', { task_id: 'a b', task_type: 'text.nlu', payload: { text: 'x' } }, 'task_id', 'may only hold'],
    ['an empty task id', { task_id: '', task_type: 'text.nlu', payload: { text: 'x' } }, 'task_id', 'must not be empty'],
    ['priority 0', { task_type: 'text.nlu', payload: { text: 'x' }, priority: 0 }, 'priority', 'between 1 and 10'],
    ['priority 2.5', { task_type: 'text.nlu', payload: { text: 'x' }, priority: 2.5 }, 'priority', 'whole number'],
    ['priority "1"', { task_type: 'text.nlu', payload: { text: 'x' }, priority: '1' }, 'priority', 'must be a number'],
    ['blank text', { task_type: 'text.nlu', payload: { text: '   ' } }, 'payload.text', 'must not be empty'],
    ['pcm audio without a rate', { task_type: 'voice.asr', payload: { audio_base64: TINY_IMAGE, format: 'pcm_s16le' } }, 'payload.sample_rate', 'required when format is pcm_s16le'],
    ['an unknown audio format', { task_type: 'voice.asr', payload: { audio_base64: TINY_IMAGE, format: 'mp3' } }, 'payload.format', "Expected 'wav' | 'pcm_s16le'"],
    ['a temperature of 3', { task_type: 'text.generate', payload: { prompt: 'x', temperature: 3 } }, 'payload.temperature', 'less than or equal to 2'],
    ['an image that is not base64', { task_type: 'vision.detection', payload: { image_base64: 'not base64!' } }, 'payload.image_base64', 'is not valid base64'],
    ['an image over the size limit', { task_type: 'vision.detection', payload: { image_base64: Buffer.alloc(17).toString('base64') } }, 'payload.image_base64', 'over the 16 B limit'],
    ['an image that is a number', { task_type: 'vision.frame', payload: { image_base64: 7 } }, 'payload.image_base64', 'Expected string'],
  ])('rejects %s, naming the field', (_case, input, field, problem) => {
    const found = rejection(input);
    expect(found.field).toBe(field);
    expect(found.problem).toContain(problem);
  });
});
