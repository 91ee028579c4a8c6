import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { detectResources, envDetector, resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, ConsoleSpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
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
  /** Where the spans go; the workflows' spans reach it through the `exporter` sink (`workflowTelemetrySinks`). */
  readonly spanProcessor: SpanProcessor;
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
    spanProcessor,
    shutdown: () => sdk.shutdown(),
  };
}
