import { SpanKind, SpanStatusCode, trace, type Attributes, type Span, type Tracer } from '@opentelemetry/api';

/** Offload's tracer; a no-op until `startTracing` has registered the SDK. */
export function offloadTracer(): Tracer {
  return trace.getTracer('offload');
}

export interface SpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  tracer?: Tracer;
}

/**
 * Runs `fn` inside a new active span (a child of the active one): workflow starts made inside it
 * carry it to the workflow through the Temporal client interceptor. Errors mark the span and rethrow.
 */
export async function withSpan<T>(name: string, options: SpanOptions, fn: (span: Span) => Promise<T>): Promise<T> {
  const tracer = options.tracer ?? offloadTracer();
  return tracer.startActiveSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      span.recordException(err instanceof Error ? err : String(err));
      span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
      throw err;
    } finally {
      span.end();
    }
  });
}

/**
 * For the robot bridge: the root span of one message received on the bus. Start the task's workflow
 * inside `fn` (with a client that has Offload's client interceptors) and the whole run joins this trace.
 */
export function traceRobotMessage<T>(topic: string, attributes: Attributes, fn: (span: Span) => Promise<T>): Promise<T> {
  return withSpan(`robot.receive ${topic}`, { kind: SpanKind.CONSUMER, attributes: { 'messaging.system': 'zeromq', 'messaging.destination.name': topic, ...attributes } }, fn);
}

/** For the robot bridge: a span around publishing a result to the robot (inside the delivery activity, it joins the task's trace). */
export function traceResultDelivery<T>(topic: string, attributes: Attributes, fn: (span: Span) => Promise<T>): Promise<T> {
  return withSpan(`robot.deliver ${topic}`, { kind: SpanKind.PRODUCER, attributes: { 'messaging.system': 'zeromq', 'messaging.destination.name': topic, ...attributes } }, fn);
}
