import { diffResults, iou, matchBoxes, wordDiff } from '../../../src/client/result-diff';
import type { DetectionBox } from '../../../src/shared/detection';
import type { ResultMeta, TaskResult } from '../../../src/shared/task';
import type { TaskType } from '../../../src/shared/task-types';

function box(label: string, b: DetectionBox['box'], score = 0.9): DetectionBox {
  return { label, class_id: 0, score, box: b };
}

function resultOf(taskType: TaskType, result: unknown, meta: Partial<ResultMeta> = {}, processing = 100): TaskResult {
  return {
    task_id: 't',
    status: 'completed',
    result,
    error: null,
    processing_time_ms: processing,
    meta: { task_type: taskType, priority: 5, attempts: 1, degradation: [], fallback_required: false, deadline_ms: 1000, timings: {}, ...meta },
  };
}

describe('iou', () => {
  test('is 1 for the same box, 0 for disjoint boxes, and the overlap share otherwise', () => {
    expect(iou([0, 0, 10, 10], [0, 0, 10, 10])).toBe(1);
    expect(iou([0, 0, 10, 10], [20, 20, 30, 30])).toBe(0);
    expect(iou([0, 0, 10, 10], [5, 0, 15, 10])).toBeCloseTo(50 / 150);
    expect(iou([0, 0, 0, 0], [0, 0, 0, 0])).toBe(0);
  });
});

describe('matchBoxes', () => {
  test('pairs same-label boxes one to one, best overlap first; the rest are only before or only after', () => {
    const before = [box('dog', [0, 0, 100, 100], 0.8), box('car', [200, 200, 300, 300]), box('cat', [0, 0, 10, 10])];
    const after = [box('dog', [0, 0, 100, 90], 0.7), box('dog', [2, 0, 100, 100], 0.9), box('car', [0, 0, 100, 100])];
    const { matched, only_before, only_after } = matchBoxes(before, after);
    expect(matched).toEqual([{ label: 'dog', iou: 0.98, score_before: 0.8, score_after: 0.9 }]);
    expect(only_before.map((b) => b.label)).toEqual(['car', 'cat']);
    expect(only_after).toEqual([after[0], after[2]]);
  });

  test('boxes overlapping less than half are not a match', () => {
    expect(matchBoxes([box('dog', [0, 0, 10, 10])], [box('dog', [6, 0, 16, 10])]).matched).toEqual([]);
  });
});

describe('wordDiff', () => {
  test('marks removed words [-w] and added words {+w}, keeping the common ones', () => {
    expect(wordDiff('hello world', 'hello world')).toBe('hello world');
    expect(wordDiff('please stop moving', 'please stop now')).toBe('please stop {+now} [-moving]');
    expect(wordDiff('', 'hi')).toBe('{+hi}');
    expect(wordDiff('a b c', '')).toBe('[-a] [-b] [-c]');
  });
});

describe('diffResults', () => {
  test('always compares status, model, hardware and latency', () => {
    const diff = diffResults(resultOf('text.nlu', null, { model: 'a', hardware: 'gpu' }, 120), resultOf('text.nlu', null, { model: 'b', hardware: 'cpu' }, 100));
    expect(diff).toEqual({ status: ['completed', 'completed'], model: ['a', 'b'], hardware: ['gpu', 'cpu'], latency_ms: { before: 120, after: 100, change: -20 } });
  });

  test('compares what each task type produced', () => {
    const image = { width: 10, height: 10 };
    expect(diffResults(resultOf('vision.detection', { boxes: [box('dog', [0, 0, 5, 5])], image }), resultOf('vision.detection', { boxes: [], image })).boxes).toEqual({
      matched: [],
      only_before: [box('dog', [0, 0, 5, 5])],
      only_after: [],
    });
    expect(diffResults(resultOf('voice.asr', { text: 'stop now' }), resultOf('voice.asr', { text: 'stop' })).transcript).toEqual({ before: 'stop now', after: 'stop', words: 'stop [-now]' });
    expect(diffResults(resultOf('voice.tts', { duration_ms: 900 }), resultOf('voice.tts', { duration_ms: 950 })).audio_duration_ms).toEqual({ before: 900, after: 950 });
    expect(diffResults(resultOf('text.generate', { text: 'Paris' }), resultOf('text.generate', { text: 'Paris' })).text).toEqual({ before: 'Paris', after: 'Paris', same: true });
    expect(diffResults(resultOf('text.nlu', { intent: 'stop' }), resultOf('text.nlu', { intent: 'go_to' })).intent).toEqual({ before: 'stop', after: 'go_to', same: false });
  });

  test('a failed side has no result to compare', () => {
    const failed = { ...resultOf('voice.asr', null), status: 'failed' as const };
    expect(diffResults(resultOf('voice.asr', { text: 'hi' }), failed).transcript).toBeUndefined();
  });
});
