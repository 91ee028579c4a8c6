import type { Hardware, TaskType } from '../shared/task-types';

/** Preferred hardware first; the ladder walks this list, then hands the task back to the robot. */
export const DEFAULT_ROUTES: Record<TaskType, Hardware[]> = {
  'vision.detection': ['gpu', 'cpu'],
  'vision.frame': ['gpu', 'cpu'],
  'voice.asr': ['gpu', 'cpu'],
  'voice.tts': ['cpu', 'gpu'],
  'text.generate': ['gpu', 'cpu'],
  'text.nlu': ['cpu', 'gpu'],
};

/** Freshness budgets: past these a result is worthless to the robot. */
export const DEFAULT_DEADLINES_MS: Record<TaskType, number> = {
  'vision.frame': 1000,
  'vision.detection': 10000,
  'voice.asr': 5000,
  'voice.tts': 10000,
  'text.generate': 30000,
  'text.nlu': 5000,
};
