import { OpenTelemetryActivityInboundInterceptor, OpenTelemetryActivityOutboundInterceptor } from '@temporalio/interceptors-opentelemetry';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';

/**
 * A `RunActivity:<name>` span per activity, a child of the workflow's `StartActivity` span (from
 * the headers), with trace ids on the activity's log lines. For any worker running Offload
 * activities (inference workers, the robot bridge) once `startTracing` has run.
 */
export function activityTracingInterceptors(): ActivityInterceptorsFactory {
  return (ctx) => ({
    inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
    outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
  });
}
