import type { Context } from '@temporalio/activity';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, ActivityInterceptorsFactory, Next } from '@temporalio/worker';
import type { BridgeActivities } from '../../shared/bridge-activities';
import type { DeliveryInput, DeliveryOutcome } from '../../shared/delivery';
import type { DeliveryStatus } from '../../shared/outcome';
import type { TaskType } from '../../shared/task-types';
import type { TurnDeliveryInput } from '../../shared/voice-session';

const DELIVER_RESULT: keyof BridgeActivities = 'deliverResult';
const DELIVER_TURN: keyof BridgeActivities = 'deliverTurn';

/**
 * What one `deliverResult` attempt came to: its outcome's status, `duplicate` (published by an
 * earlier attempt, not sent again) or `failed` (the activity threw).
 */
export type DeliveryAttemptStatus = DeliveryStatus | 'duplicate' | 'failed';

export interface DeliveryMetrics {
  /** One attempt; `latencyMs` runs from the request reaching the bridge to the publish (or the drop). */
  delivered(topic: string, status: DeliveryAttemptStatus, latencyMs?: number): void;
}

export interface DeliveryTelemetryDeps {
  metrics: DeliveryMetrics;
  /** The robot topic a task type's results go out on; undefined when the robot gets none. */
  topicOf(taskType: TaskType): string | undefined;
}

/**
 * Delivery series of the robot bridge's worker, read from each `deliverResult`'s input and the
 * DeliveryOutcome it returns (or its failure): the activity code itself records nothing.
 */
export function deliveryTelemetryInterceptors(deps: DeliveryTelemetryDeps): ActivityInterceptorsFactory {
  return (ctx) => ({ inbound: new DeliveryTelemetry(ctx, deps) });
}

class DeliveryTelemetry implements ActivityInboundCallsInterceptor {
  constructor(
    private readonly ctx: Context,
    private readonly deps: DeliveryTelemetryDeps,
  ) {}

  async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    const topic = this.topicOf(input.args[0]);
    if (!topic) return next(input);
    try {
      const outcome = (await next(input)) as DeliveryOutcome;
      this.deps.metrics.delivered(topic, outcome.duplicate ? 'duplicate' : outcome.status, outcome.latency_ms);
      return outcome;
    } catch (err) {
      this.deps.metrics.delivered(topic, 'failed');
      throw err;
    }
  }

  private topicOf(arg: unknown): string | undefined {
    const { activityType } = this.ctx.info;
    if (activityType === DELIVER_TURN) return this.deps.topicOf((arg as Partial<TurnDeliveryInput> | undefined)?.answer?.part === 'speech' ? 'voice.tts' : 'voice.asr');
    const taskType = activityType === DELIVER_RESULT ? (arg as Partial<DeliveryInput> | undefined)?.result?.meta?.task_type : undefined;
    return taskType ? this.deps.topicOf(taskType) : undefined;
  }
}
