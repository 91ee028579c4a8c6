import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { InvalidTaskError } from '../shared/errors';
import { isTaskType, TASK_TYPES } from '../shared/task-types';

export interface SubmitFlags {
  file?: string;
  text?: string;
  rate?: number;
  priority?: number;
  robot?: string;
  taskId?: string;
  model?: string;
  /** voice.tts: the voice to speak with (e.g. `pl_PL-gosia-medium`). */
  voice?: string;
  /** voice.asr, voice.tts, text.generate, text.nlu: the language (`pl`, `en`); voice.asr without it uses the robot's. */
  language?: string;
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
    payload: { ...(await payloadFor(taskType, flags)), ...languageOf(taskType, flags) },
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
      if (extname(file).toLowerCase() === '.wav') return { audio_base64: await readBase64(file), format: 'wav' };
      return { audio_base64: await readBase64(file), format: 'pcm_s16le', sample_rate: required(flags.rate, 'the sample rate of raw PCM (--rate)') };
    }
    case 'text.generate':
      return { prompt: await textOf(flags) };
    default:
      return { text: await textOf(flags) };
  }
}

/** `--language` for the task types that take one, `--voice` for voice.tts. */
function languageOf(taskType: string, flags: SubmitFlags): Record<string, string> {
  const fields: Record<string, string> = {};
  if (flags.language !== undefined && taskType !== 'vision.detection' && taskType !== 'vision.frame') fields.language = flags.language;
  if (flags.voice !== undefined && taskType === 'voice.tts') fields.voice = flags.voice;
  return fields;
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
