import { defaultPayloadConverter } from '@temporalio/common';
import type { TaskEnvelope, TaskResult } from '../shared/task';
import type { Hardware } from '../shared/task-types';
import type { TaskWorkflowInput } from '../shared/workflow-input';
import { fetchHistory, type History } from './history-source';
import type { OffloadClient } from './offload-client';

export interface RerunOptions {
  /** Run this model id instead of the original's. */
  model?: string;
  /** Run only on this hardware. */
  hardware?: Hardware;
}

export interface Rerun {
  original: TaskResult;
  rerun: TaskResult;
}

/** The TaskWorkflowInput a run was started with, read from its history. */
export function originalInput(history: History): TaskWorkflowInput {
  const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  if (!payload) throw new Error('the history has no workflow input');
  const input = defaultPayloadConverter.fromPayload<TaskWorkflowInput>(payload);
  if (!input?.envelope?.task_type) throw new Error('the run was not started by Offload (no TaskEnvelope in its input)');
  return input;
}

/** Starts a new run with a past run's input, linked to it (memo + OffloadRerunOf), and waits for both results. */
export async function rerunTask(offload: OffloadClient, taskId: string, options: RerunOptions = {}): Promise<Rerun> {
  const { history } = await fetchHistory(offload.temporal, taskId);
  const input = originalInput(history);
  const original = await offload.result(taskId);
  const envelope: TaskEnvelope = {
    ...input.envelope,
    task_id: `${taskId}.rerun.${Date.now().toString(36)}`,
    meta: { ...input.envelope.meta, rerun_of: taskId, ...(options.model ? { model: options.model } : {}) },
  };
  const rerun = await offload.submit(envelope, {
    policy: { ...input.policy, ...(options.hardware ? { route: [options.hardware] } : {}) },
  });
  return { original, rerun };
}
