import type { InjectedSinks } from '@temporalio/worker';
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
