import type { GenerationResult } from '../shared/model-results';
import type { TaskResult } from '../shared/task';
import type { TaskWorkflowInput } from '../shared/workflow-input';
import { runOnLadder } from './run-on-ladder';

/** Generates text from a prompt (text.generate). */
export async function generateText(input: TaskWorkflowInput<'text.generate'>): Promise<TaskResult<GenerationResult>> {
  return runOnLadder(input, 'runTextModel');
}
