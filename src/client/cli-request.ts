import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { InvalidTaskError } from '../shared/errors';
import { isTaskType, TASK_TYPES } from '../shared/task-types';

export interface SubmitFlags {
  file?: string;
  text?: string;
  rate?: number;
  language?: string;
  priority?: number;
  robot?: string;
  taskId?: string;
  model?: string;
}

/** Turns `offload submit` flags into a task request; the client validates the rest. */
export async function buildRequest(taskType: string, flags: SubmitFlags): Promise<Record<string, unknown>> {
  if (!isTaskType(taskType)) throw new InvalidTaskError('task-type', `"${taskType}" is not one of ${TASK_TYPES.join(', ')}`);
  if ((flags.file === undefined) === (flags.text === undefined)) {
    throw new InvalidTaskError('--file/--text', 'give exactly one of --file PATH or --text TEXT');
  }
  return {
    ...(flags.taskId ? { task_id: flags.taskId } : {}),
    task_type: taskType,
    payload: await payloadFor(taskType, flags),
    meta: { source: 'cli', ...(flags.robot ? { robot_id: flags.robot } : {}), ...(flags.model ? { model: flags.model } : {}) },
    ...(flags.priority !== undefined ? { priority: flags.priority } : {}),
  };
}

async function payloadFor(taskType: string, flags: SubmitFlags): Promise<Record<string, unknown>> {
  switch (taskType) {
    case 'vision.detection':
    case 'vision.frame':
      return { image_base64: await readBase64(required(flags.file, 'an image file (--file)')) };
    case 'voice.asr': {
      const file = required(flags.file, 'an audio file (--file)');
      const language = flags.language ? { language: flags.language } : {};
      if (extname(file).toLowerCase() === '.wav') return { audio_base64: await readBase64(file), format: 'wav', ...language };
      return { audio_base64: await readBase64(file), format: 'pcm_s16le', sample_rate: required(flags.rate, 'the sample rate of raw PCM (--rate)'), ...language };
    }
    case 'text.generate':
      return { prompt: await textOf(flags) };
    default:
      return { text: await textOf(flags) };
  }
}

async function textOf(flags: SubmitFlags): Promise<string> {
  return flags.text ?? (await readFile(flags.file as string, 'utf8')).trim();
}

async function readBase64(path: string): Promise<string> {
  try {
    return (await readFile(path)).toString('base64');
  } catch (err) {
    throw new InvalidTaskError('--file', `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? err}`);
  }
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new InvalidTaskError('input', `this task type needs ${what}`);
  return value;
}
