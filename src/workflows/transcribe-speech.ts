import type { TranscriptionResult } from '../shared/model-results';
import type { TaskResult } from '../shared/task';
import type { TaskWorkflowInput } from '../shared/workflow-input';
import { runAndDeliver } from './deliver-to-robot';

/** Turns speech into text (voice.asr). */
export async function transcribeSpeech(input: TaskWorkflowInput<'voice.asr'>): Promise<TaskResult<TranscriptionResult>> {
  return runAndDeliver(input, 'runAsrModel');
}
