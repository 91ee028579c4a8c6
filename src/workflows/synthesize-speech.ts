import type { SpeechResult } from '../shared/model-results';
import type { TaskResult } from '../shared/task';
import type { TaskWorkflowInput } from '../shared/workflow-input';
import { runAndDeliver } from './deliver-to-robot';

/** Turns text into speech (voice.tts). */
export async function synthesizeSpeech(input: TaskWorkflowInput<'voice.tts'>): Promise<TaskResult<SpeechResult>> {
  return runAndDeliver(input, 'runTtsModel');
}
