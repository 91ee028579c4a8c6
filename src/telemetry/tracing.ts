import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { detectResources, envDetector, resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, ConsoleSpanExporter, type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { TracingSettings } from '../config/load-config';

export interface TracingOptions {
  /** `service.name` of the spans. */
  serviceName: string;
  /** Replaces the exporter (tests pass an in-memory one). */
  spanProcessor?: SpanProcessor;
  /** Export over OTLP/HTTP (default) or print the spans on the console. */
  exporter?: TracingSettings['exporter'];
}

export interface Tracing {
  readonly resource: Resource;
  /** Takes the spans workflows create in the sandbox (fed by the Temporal `exporter` sink). */
  readonly workflowSpanProcessor: SpanProcessor;
  shutdown(): Promise<void>;
}

/**
 * Tracing as the config says (off unless asked for: when off, no SDK starts and no tracing
 * interceptor is installed, so it costs nothing), named `OTEL_SERVICE_NAME` or else `serviceName`.
 */
export function startConfiguredTracing(settings: TracingSettings, serviceName: string): Tracing | undefined {
  if (!settings.enabled) return undefined;
  return startTracing({ serviceName: settings.serviceName ?? serviceName, exporter: settings.exporter });
}

/**
 * Starts the OpenTelemetry Node SDK for traces only (no metrics, no logs: Prometheus has those),
 * exporting over OTLP/HTTP, configured by the standard `OTEL_EXPORTER_OTLP_*` variables. Registers
 * the global tracer provider, context manager and W3C propagator.
 */
export function startTracing(options: TracingOptions): Tracing {
  const resource = resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName }).merge(detectResources({ detectors: [envDetector] }));
  const spanProcessor = options.spanProcessor ?? new BatchSpanProcessor(options.exporter === 'console' ? new ConsoleSpanExporter() : new OTLPTraceExporter());
  const sdk = new NodeSDK({
    resource,
    autoDetectResources: false,
    spanProcessors: [spanProcessor],
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [],
  });
  sdk.start();
  return {
    resource,
    workflowSpanProcessor: workflowSpanAdapter(spanProcessor),
    shutdown: () => sdk.shutdown(),
  };
}

/** The shape of a span the Temporal workflow interceptors build in the sandbox (OpenTelemetry SDK 1.x). */
interface SandboxSpan {
  spanContext(): { traceId: string; spanId: string; traceFlags: number };
  parentSpanId?: string;
  instrumentationLibrary?: { name: string; version?: string; schemaUrl?: string };
}

/**
 * `@temporalio/interceptors-opentelemetry` 1.24 serialises workflow spans in the 1.x SDK shape
 * (`parentSpanId`, `instrumentationLibrary`); SDK 2.x exporters read `parentSpanContext` and
 * `instrumentationScope`, and would drop the parent link. This adapter converts them.
 */
export function workflowSpanAdapter(processor: SpanProcessor): SpanProcessor {
  return {
    onStart: () => undefined,
    onEnd(span: ReadableSpan) {
      const sandbox = span as unknown as SandboxSpan & ReadableSpan;
      if (sandbox.parentSpanContext !== undefined || sandbox.instrumentationScope !== undefined) {
        processor.onEnd(span);
        return;
      }
      const context = sandbox.spanContext();
      processor.onEnd({
        ...sandbox,
        spanContext: () => context,
        parentSpanContext: sandbox.parentSpanId ? { traceId: context.traceId, spanId: sandbox.parentSpanId, traceFlags: context.traceFlags } : undefined,
        instrumentationScope: sandbox.instrumentationLibrary ?? { name: '@temporalio/interceptor-workflow' },
      } as ReadableSpan);
    },
    forceFlush: () => processor.forceFlush(),
    shutdown: () => Promise.resolve(),
  };
}
