import { SpanKind, type Tracer } from '@opentelemetry/api';
import type { InferenceOutput, ModelRuntime } from '../../models';
import { offloadTracer, withSpan } from '../spans';

const MODEL_CALLS = new Set<string | symbol>(['detect', 'transcribe', 'synthesize', 'generate', 'understand']);

/**
 * The runtime with a `model.<call>` span around every inference (a child of the activity's span),
 * carrying the model id, hardware, execution provider and stage timings; the rest is untouched.
 */
export function traceModelRuntime(runtime: ModelRuntime, tracer: Tracer = offloadTracer()): ModelRuntime {
  return new Proxy(runtime, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (!MODEL_CALLS.has(property) || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
      const call = value as (...args: unknown[]) => Promise<InferenceOutput<unknown>>;
      return (...args: unknown[]) =>
        withSpan(
          `model.${String(property)}`,
          { tracer, kind: SpanKind.INTERNAL, attributes: { 'offload.hardware': target.hardware, 'offload.execution_provider': target.executionProvider } },
          async (span) => {
            const output = await call.apply(target, args);
            span.setAttribute('offload.model', output.model.id);
            span.setAttribute('offload.model_kind', output.model.kind);
            for (const [stage, ms] of Object.entries(output.timings)) span.setAttribute(`offload.timing.${stage}`, ms);
            return output;
          },
        );
    },
  });
}
