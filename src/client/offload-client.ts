import { randomUUID } from 'node:crypto';
import {
  ApplicationFailure,
  InternalConnectionLikeSymbol,
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  WorkflowNotFoundError,
  type Client,
  type InternalConnectionLike,
  type WorkflowHandle,
} from '@temporalio/client';
import type { DeliverySpec } from '../shared/delivery';
import { workflowQueue } from '../shared/queues';
import { outcomeAttribute, OutcomeKey, PriorityKey, RerunOfKey, RobotKey, TaskTypeKey } from '../shared/search-attributes';
import type { TaskEnvelope, TaskResult } from '../shared/task';
import { failedResult, pendingResult } from '../shared/task-results';
import { WORKFLOW_FOR_TASK, type TaskType } from '../shared/task-types';
import { validateTask } from '../shared/validate-task';
import { withSpan } from '../telemetry/spans';
import type { TaskPolicy } from '../shared/workflow-input';
import { buildListQuery, type ListFilter } from './list-query';
import { staticDetails, staticSummary } from './run-labels';
import { policyFor, type PolicyConfig } from './task-policy';

export interface OffloadClientOptions {
  client: Client;
  /** `fastPath`: start runs eagerly when the client is on a NativeConnection (a worker in this process may take their first task). */
  config: PolicyConfig & { maxPayloadBytes: number; fastPath?: boolean };
}

export interface SubmitOptions {
  /** Wait for the result (default) or return as soon as the run has started. */
  wait?: boolean;
  /** Overrides of the configured policy for this task (route, deadline...). */
  policy?: Partial<TaskPolicy>;
  /** The robot bridge's delivery: the run publishes its result to the robot through the bridge. */
  delivery?: DeliverySpec;
}

export interface TaskListEntry {
  task_id: string;
  run_id: string;
  task_type?: string;
  robot_id?: string;
  priority?: number;
  outcome?: string;
  workflow_status: string;
  start_time: string;
  close_time?: string;
}

/** Submits robot tasks as Temporal workflows and reads their results. */
export class OffloadClient {
  private readonly eagerStart: boolean;

  constructor(private readonly options: OffloadClientOptions) {
    const connection = options.client.connection as InternalConnectionLike;
    this.eagerStart = options.config.fastPath === true && connection[InternalConnectionLikeSymbol]?.supportsEagerStart === true;
  }

  get temporal(): Client {
    return this.options.client;
  }

  /** Validates, starts (or joins, for a known task id) the task's workflow; throws InvalidTaskError for bad input. */
  async submit(request: unknown, options: SubmitOptions = {}): Promise<TaskResult> {
    const envelope = validateTask(request, {
      maxPayloadBytes: this.options.config.maxPayloadBytes,
      newTaskId: (taskType) => `${taskType}-${randomUUID()}`,
    });
    const attributes = { 'offload.task_id': envelope.task_id, 'offload.task_type': envelope.task_type };
    return withSpan('offload.submit', { attributes }, async () => {
      const handle = await this.start(envelope, policyFor(envelope.task_type, this.options.config, options.policy), options.delivery);
      if (options.wait === false) return pendingResult(envelope);
      return withSpan('offload.result', { attributes }, () => this.resultOf(handle, envelope));
    });
  }

  /** The task's result, waiting for it when the run is still going. */
  async result(taskId: string): Promise<TaskResult> {
    return this.resultOf(this.options.client.workflow.getHandle(taskId));
  }

  /** The task's state now, without waiting. */
  async status(taskId: string): Promise<TaskResult> {
    const handle = this.options.client.workflow.getHandle(taskId);
    const description = await handle.describe();
    if (description.status.name === 'RUNNING') {
      const taskType = description.typedSearchAttributes.get(TaskTypeKey) as TaskType | undefined;
      const priority = description.typedSearchAttributes.get(PriorityKey);
      return { ...pendingResult({ task_id: taskId, task_type: taskType ?? 'vision.detection', priority: priority ?? 5, meta: {} }), status: 'processing' };
    }
    return this.resultOf(handle);
  }

  async list(filter: ListFilter = {}): Promise<TaskListEntry[]> {
    const entries: TaskListEntry[] = [];
    for await (const run of this.options.client.workflow.list({ query: buildListQuery(filter) })) {
      entries.push({
        task_id: run.workflowId,
        run_id: run.runId,
        task_type: run.typedSearchAttributes.get(TaskTypeKey),
        robot_id: run.typedSearchAttributes.get(RobotKey),
        priority: run.typedSearchAttributes.get(PriorityKey),
        outcome: run.typedSearchAttributes.get(OutcomeKey),
        workflow_status: run.status.name,
        start_time: run.startTime.toISOString(),
        close_time: run.closeTime?.toISOString(),
      });
      if (entries.length >= (filter.limit ?? 100)) break;
    }
    return entries;
  }

  private async start(envelope: TaskEnvelope, policy: TaskPolicy, delivery?: DeliverySpec): Promise<WorkflowHandle> {
    try {
      return await this.options.client.workflow.start(WORKFLOW_FOR_TASK[envelope.task_type], {
        // A run its bridge hosts runs on the bridge's queue: its delivery is a local activity there.
        taskQueue: delivery?.local ? delivery.taskQueue : workflowQueue(policy.queuePrefix),
        ...(this.eagerStart ? { requestEagerStart: true } : {}),
        workflowId: envelope.task_id,
        args: [{ envelope, policy, ...(delivery ? { delivery } : {}) }],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        priority: { priorityKey: envelope.priority },
        typedSearchAttributes: [
          { key: TaskTypeKey, value: envelope.task_type },
          { key: RobotKey, value: envelope.meta.robot_id ?? 'api' },
          { key: PriorityKey, value: envelope.priority },
          outcomeAttribute('running'),
          ...(typeof envelope.meta.rerun_of === 'string' ? [{ key: RerunOfKey, value: envelope.meta.rerun_of }] : []),
        ],
        ...(typeof envelope.meta.rerun_of === 'string' ? { memo: { rerun_of: envelope.meta.rerun_of } } : {}),
        staticSummary: staticSummary(envelope),
        staticDetails: staticDetails(envelope, policy),
      });
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) {
        return this.options.client.workflow.getHandle(envelope.task_id);
      }
      throw err;
    }
  }

  private async resultOf(handle: WorkflowHandle, envelope?: TaskEnvelope): Promise<TaskResult> {
    try {
      return (await handle.result()) as TaskResult;
    } catch (err) {
      if (err instanceof WorkflowFailedError) {
        const known = envelope ?? (await this.envelopeOf(handle));
        // The run failed outright (bad input, a language the model cannot work in): no hardware step is owed, so no fallback either.
        const errorType = err.cause instanceof ApplicationFailure ? (err.cause.type ?? undefined) : undefined;
        return failedResult(known, { error: err.cause?.message ?? err.message, fallbackRequired: false, meta: { deadline_ms: 0, ...(errorType ? { error_type: errorType } : {}) } });
      }
      if (err instanceof WorkflowNotFoundError) throw new Error(`no task with id ${handle.workflowId}`);
      throw err;
    }
  }

  private async envelopeOf(handle: WorkflowHandle): Promise<Pick<TaskEnvelope, 'task_id' | 'task_type' | 'priority' | 'meta'>> {
    const description = await handle.describe();
    return {
      task_id: handle.workflowId,
      task_type: (description.typedSearchAttributes.get(TaskTypeKey) as TaskType | undefined) ?? 'vision.detection',
      priority: description.typedSearchAttributes.get(PriorityKey) ?? 5,
      meta: { robot_id: description.typedSearchAttributes.get(RobotKey) },
    };
  }
}
