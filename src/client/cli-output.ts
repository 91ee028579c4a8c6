import { writeFile } from 'node:fs/promises';
import type { TaskResult } from '../shared/task';

/** Writes the audio a task produced (voice.tts) to `path`. */
export async function writeAudioOutput(result: TaskResult, path: string): Promise<void> {
  const audio = (result.result as { audio_base64?: unknown } | null)?.audio_base64;
  if (typeof audio !== 'string') throw new Error(`--out: task ${result.task_id} produced no audio`);
  await writeFile(path, Buffer.from(audio, 'base64'));
}
