import type { InjectedSinks, WorkerOptions, WorkflowBundle } from '@temporalio/worker';
import type { OpenTelemetrySinks } from '@temporalio/interceptors-opentelemetry';
import type { Tracing } from '../tracing';
import type { OffloadTelemetrySinks } from '../workflow/telemetry-sinks';
import type { TaskTelemetry } from './task-telemetry';
import { workflowSpanExporter } from './workflow-span-exporter';

/**
 * Workflow interceptor modules, for `interceptors.workflowModules` or `bundleWorkflowCode`'s
 * `workflowInterceptorModules`: Offload's telemetry always, OpenTelemetry's when tracing.
 */
export function workflowInterceptorModules(options: { tracing?: boolean } = {}): string[] {
  return [
    require.resolve('../workflow/workflow-telemetry'),
    ...(options.tracing ? [require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors')] : []),
  ];
}

/**
 * The sinks those modules call. `callDuringReplay: false`: a replayed workflow (after a cache
 * eviction, a worker restart, `offload replay`) reports nothing again.
 */
export function workflowTelemetrySinks(tasks: TaskTelemetry | undefined, tracing?: Tracing): InjectedSinks<OffloadTelemetrySinks> & Partial<InjectedSinks<OpenTelemetrySinks>> {
  const ignore = () => undefined;
  return {
    offloadTelemetry: {
      stepFinished: { fn: tasks ? (info, step) => tasks.stepFinished(info, step) : ignore, callDuringReplay: false },
      taskFinished: { fn: tasks ? (info, task) => tasks.taskFinished(info, task) : ignore, callDuringReplay: false },
    },
    ...(tracing ? { exporter: workflowSpanExporter(tracing.spanProcessor, tracing.resource) } : {}),
  };
}

/** Where a worker's workflows come from and what their telemetry reports to. */
export interface WorkflowHosting {
  /** A prebuilt bundle (tests share one; it must include `workflowInterceptorModules({ tracing })`); by default bundled from source at start. */
  workflowBundle?: WorkflowBundle;
  tasks?: TaskTelemetry;
  tracing?: Tracing;
}

/** What a worker needs to run Offload's workflows with their telemetry: the workflow worker, and a bridge that hosts its robot's runs. */
export function workflowHostingOptions(hosting: WorkflowHosting): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath' | 'interceptors' | 'sinks' | 'maxCachedWorkflows'> {
  return {
    ...(hosting.workflowBundle
      ? { workflowBundle: hosting.workflowBundle }
      : { workflowsPath: require.resolve('../../workflows'), interceptors: { workflowModules: workflowInterceptorModules({ tracing: hosting.tracing !== undefined }) } }),
    sinks: workflowTelemetrySinks(hosting.tasks, hosting.tracing),
    maxCachedWorkflows: 500,
  };
}
