import type { UnderstandingResult } from '../shared/model-results';
import type { TaskResult } from '../shared/task';
import type { TaskWorkflowInput } from '../shared/workflow-input';
import { runOnLadder } from './run-on-ladder';

/** Finds the intent of an utterance (text.nlu). */
export async function understandText(input: TaskWorkflowInput<'text.nlu'>): Promise<TaskResult<UnderstandingResult>> {
  return runOnLadder(input, 'runNluModel');
}
