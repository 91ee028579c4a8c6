import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { detectResources, envDetector, resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, ConsoleSpanExporter, type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

export type TracingSetting = 'auto' | 'on' | 'off';

/**
 * Tracing is off unless asked for: `OFFLOAD_TRACING=on`, or (with the default `auto`) an OTLP
 * endpoint in `OTEL_EXPORTER_OTLP_ENDPOINT` / `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`.
 * When off, no SDK starts and no tracing interceptor is installed: it costs nothing.
 */
export function tracingEnabled(setting: TracingSetting, env: NodeJS.ProcessEnv = process.env): boolean {
  if (setting !== 'auto') return setting === 'on';
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

export interface TracingOptions {
  /** `service.name` unless `OTEL_SERVICE_NAME` says otherwise. */
  serviceName: string;
  /** Replaces the exporter chosen from the environment (tests pass an in-memory one). */
  spanProcessor?: SpanProcessor;
  env?: NodeJS.ProcessEnv;
}

export interface Tracing {
  readonly resource: Resource;
  /** Takes the spans workflows create in the sandbox (fed by the Temporal `exporter` sink). */
  readonly workflowSpanProcessor: SpanProcessor;
  shutdown(): Promise<void>;
}

/**
 * Starts the OpenTelemetry Node SDK for traces only (no metrics, no logs: Prometheus has those),
 * exporting over OTLP/HTTP configured by the standard `OTEL_*` variables (`OTEL_TRACES_EXPORTER=console`
 * prints spans instead). Registers the global tracer provider, context manager and W3C propagator.
 */
export function startTracing(options: TracingOptions): Tracing {
  const env = options.env ?? process.env;
  const resource = resourceFromAttributes({ [ATTR_SERVICE_NAME]: env.OTEL_SERVICE_NAME ?? options.serviceName }).merge(
    detectResources({ detectors: [envDetector] }),
  );
  const spanProcessor = options.spanProcessor ?? new BatchSpanProcessor(env.OTEL_TRACES_EXPORTER === 'console' ? new ConsoleSpanExporter() : new OTLPTraceExporter());
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
