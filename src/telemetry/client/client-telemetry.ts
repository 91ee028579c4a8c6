import type { Next, WorkflowClientInterceptor, WorkflowStartInput, WorkflowStartOutput } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import type { TaskWorkflowInput } from '../../shared/workflow-input';
import type { OffloadMetrics } from '../offload-metrics';

/** Counts the task workflows this process starts (`offload_tasks_submitted_total{task_type}`). */
export class TaskSubmissionMetrics implements WorkflowClientInterceptor {
  constructor(private readonly metrics: OffloadMetrics) {}

  async startWithDetails(input: WorkflowStartInput, next: Next<WorkflowClientInterceptor, 'startWithDetails'>): Promise<WorkflowStartOutput> {
    const output = await next(input);
    const taskType = (input.options.args?.[0] as Partial<TaskWorkflowInput> | undefined)?.envelope?.task_type;
    if (taskType) this.metrics.tasksSubmitted.inc({ task_type: taskType });
    return output;
  }
}

export interface ClientTelemetryOptions {
  metrics?: OffloadMetrics;
  /** Carry the active span into the workflow (start `startTracing` first). */
  tracing: boolean;
}

/** The workflow-client interceptors of a process that submits tasks (API, bridge). */
export function clientTelemetryInterceptors(options: ClientTelemetryOptions): WorkflowClientInterceptor[] {
  return [
    ...(options.tracing ? [new OpenTelemetryWorkflowClientInterceptor()] : []),
    ...(options.metrics ? [new TaskSubmissionMetrics(options.metrics)] : []),
  ];
}
