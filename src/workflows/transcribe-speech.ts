import type { TranscriptionResult } from '../shared/model-results';
import type { TaskResult } from '../shared/task';
import type { TaskWorkflowInput } from '../shared/workflow-input';
import { runOnLadder } from './run-on-ladder';

/** Turns speech into text (voice.asr). */
export async function transcribeSpeech(input: TaskWorkflowInput<'voice.asr'>): Promise<TaskResult<TranscriptionResult>> {
  return runOnLadder<TranscriptionResult>(input, 'runAsrModel');
}
