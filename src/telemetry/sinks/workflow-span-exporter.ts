import { createTraceState } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { OpenTelemetryWorkflowExporter, SerializableSpan } from '@temporalio/interceptors-opentelemetry';
import type { InjectedSink } from '@temporalio/worker';
import type { WorkflowInfo } from '@temporalio/workflow';

/**
 * The `exporter` sink of `@temporalio/interceptors-opentelemetry`'s workflow interceptors, for this
 * process's OpenTelemetry SDK 2.x span processor. The sandbox serialises its spans in the SDK 1.x
 * shape its own `makeWorkflowExporter` takes (`parentSpanId`, `instrumentationLibrary`), which 2.x
 * exporters would read without their parent; as there, each span also gets the run's info as attributes.
 */
export function workflowSpanExporter(processor: SpanProcessor, resource: Resource): InjectedSink<OpenTelemetryWorkflowExporter> {
  return {
    export: {
      fn: (info, spans) => {
        for (const span of spans) processor.onEnd(readableSpanOf(span, info, resource));
      },
    },
  };
}

function readableSpanOf(span: SerializableSpan, info: WorkflowInfo, resource: Resource): ReadableSpan {
  const { spanContext: serialized, parentSpanId, instrumentationLibrary, attributes, ...rest } = span;
  const { traceState, ...context } = serialized;
  const spanContext = { ...context, traceState: traceState ? createTraceState(traceState) : undefined };
  return {
    ...rest,
    attributes: Object.assign(attributes, info),
    spanContext: () => spanContext,
    parentSpanContext: parentSpanId ? { traceId: context.traceId, spanId: parentSpanId, traceFlags: context.traceFlags } : undefined,
    instrumentationScope: instrumentationLibrary,
    resource,
  };
}
