import { ApplicationFailure } from '@temporalio/activity';
import type { BridgeActivities, DeliveryOutcome } from '../shared/delivery';
import { ErrorType } from '../shared/errors';
import { traceResultDelivery } from '../telemetry/spans';
import type { DeliveryLedger } from './delivery-ledger';
import type { FrameTracker } from './frame-tracker';
import { resultMessages, robotTopicOf, type ResultMessageOptions } from './result-messages';
import type { OutgoingMessage } from './robot-bus';

export interface BridgeActivityDeps {
  /** The robot this bridge is connected to. */
  robotId: string;
  bus: { publish(messages: OutgoingMessage[]): Promise<void> };
  ledger: DeliveryLedger;
  frames: FrameTracker;
  messages: ResultMessageOptions;
  now?: () => number;
}

/**
 * `deliverResult`, served on the bridge's task queue: publishes a run's result to the robot, at most
 * once, unless it is stale. What it returns is counted by `deliveryTelemetryInterceptors`.
 */
export function createBridgeActivities(deps: BridgeActivityDeps): BridgeActivities {
  const now = deps.now ?? Date.now;
  return {
    async deliverResult({ delivery, result }): Promise<DeliveryOutcome> {
      if (delivery.robotId !== deps.robotId) {
        throw ApplicationFailure.nonRetryable(
          `the bridge of robot ${deps.robotId} got a result for robot ${delivery.robotId}: give each robot's bridge its own OFFLOAD_BRIDGE_TASK_QUEUE`,
          ErrorType.WrongRobot,
        );
      }
      const topic = robotTopicOf(result.meta.task_type);
      if (!topic) throw badResult(`the robot has no topic for ${result.meta.task_type} results`);
      const isFrame = result.meta.task_type === 'vision.frame';
      const requestTs = result.meta.request_ts;
      const at = now();
      const latency_ms = at - delivery.receivedAt;
      if (deps.ledger.has(result.task_id)) {
        return { status: 'delivered', detail: 'already published by an earlier attempt; not sent again', messages: 0, latency_ms, duplicate: true };
      }
      try {
        if (at > delivery.deliverBy) {
          return { status: 'stale', detail: `reached the bridge ${at - delivery.deliverBy} ms after its deadline (${latency_ms} ms after the request); dropped`, messages: 0, latency_ms };
        }
        if (isFrame && requestTs !== undefined && deps.frames.isOutdated(deps.robotId, requestTs, delivery.receivedAt)) {
          return { status: 'superseded', detail: 'the result of a newer frame was already delivered; dropped', messages: 0, latency_ms };
        }
        const messages = robotMessagesOf(() => resultMessages(result, delivery, deps.messages, at));
        deps.ledger.record(result.task_id);
        await traceResultDelivery(topic, { 'offload.task_id': result.task_id, 'offload.robot_id': deps.robotId, 'offload.messages': messages.length }, () => deps.bus.publish(messages));
        if (isFrame && requestTs !== undefined) void deps.frames.delivered(deps.robotId, result.task_id, requestTs, delivery.receivedAt);
        return { status: 'delivered', detail: `published ${messages.length} message(s) on ${topic}`, messages: messages.length, latency_ms };
      } finally {
        if (isFrame) deps.frames.forget(deps.robotId, result.task_id);
      }
    },
  };
}

/** What turns a result into robot messages; a result that cannot be turned is a non-retryable BadResult. */
function robotMessagesOf<T>(build: () => T): T {
  try {
    return build();
  } catch (err) {
    throw badResult(err instanceof Error ? err.message : String(err));
  }
}

function badResult(why: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(`the result cannot be turned into robot messages: ${why}`, ErrorType.BadResult);
}
