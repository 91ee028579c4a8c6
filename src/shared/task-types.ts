export const TASK_TYPES = [
  'voice.asr',
  'voice.tts',
  'vision.detection',
  'vision.frame',
  'text.generate',
  'text.nlu',
] as const;
export type TaskType = (typeof TASK_TYPES)[number];

export const HARDWARE_CLASSES = ['gpu', 'cpu'] as const;
export type Hardware = (typeof HARDWARE_CLASSES)[number];

export const TASK_STATUSES = ['pending', 'processing', 'completed', 'failed'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** Robot priorities: 1 = highest .. 10 = lowest. Maps 1:1 to Temporal `priorityKey`. */
export const MIN_PRIORITY = 1;
export const MAX_PRIORITY = 10;

export const DEFAULT_PRIORITY: Record<TaskType, number> = {
  'vision.frame': 1,
  'vision.detection': 5,
  'voice.asr': 5,
  'voice.tts': 6,
  'text.generate': 5,
  'text.nlu': 5,
};

/** The workflow type that serves each task type. */
export const WORKFLOW_FOR_TASK: Record<TaskType, string> = {
  'vision.detection': 'detectObjects',
  'vision.frame': 'detectObjects',
  'voice.asr': 'transcribeSpeech',
  'voice.tts': 'synthesizeSpeech',
  'text.generate': 'generateText',
  'text.nlu': 'understandText',
};

export function isTaskType(value: unknown): value is TaskType {
  return typeof value === 'string' && (TASK_TYPES as readonly string[]).includes(value);
}
