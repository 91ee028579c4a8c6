import { activityInfo, ApplicationFailure, heartbeat } from '@temporalio/activity';
import type { BridgeActivities } from '../shared/bridge-activities';
import type { DeliveryOutcome } from '../shared/delivery';
import { ErrorType } from '../shared/errors';
import { traceResultDelivery } from '../telemetry/spans';
import type { DeliveryLedger } from './delivery-ledger';
import type { FrameTracker } from './frame-tracker';
import { resultMessages, robotTopicOf, type ResultMessageOptions } from './result-messages';
import type { OutgoingMessage } from './robot-bus';
import { RESULT_TOPICS } from './topics';
import { turnMessages } from './turn-messages';
import type { TurnDeliveryInput } from '../shared/voice-session';
import type { AudioStore } from '../voice/audio-store';

export interface BridgeActivityDeps {
  /** The robot this bridge is connected to. */
  robotId: string;
  bus: { publish(messages: OutgoingMessage[]): Promise<void> };
  ledger: DeliveryLedger;
  frames: FrameTracker;
  messages: ResultMessageOptions;
  /** Where the reply audio of voice turns is. */
  audioStore?: AudioStore;
  now?: () => number;
  /** Sent while a fail-safe is held (default: the activity's heartbeat). */
  heartbeat?: () => void;
}

/** While it holds a fail-safe the activity heartbeats this often: a bridge killed meanwhile hands it to the next one quickly. */
const HOLD_HEARTBEAT_MS = 250;

/**
 * `deliverResult`, served on the bridge's task queue: publishes a run's result to the robot, at most
 * once, unless it is stale. What it returns is counted by `deliveryTelemetryInterceptors`.
 */
export function createBridgeActivities(deps: BridgeActivityDeps): BridgeActivities {
  const now = deps.now ?? Date.now;
  return {
    async deliverResult({ delivery, result, publishAt }): Promise<DeliveryOutcome> {
      checkRobot(delivery.robotId);
      const topic = robotTopicOf(result.meta.task_type);
      if (!topic) throw badResult(`the robot has no topic for ${result.meta.task_type} results`);
      const isFrame = result.meta.task_type === 'vision.frame';
      const requestTs = result.meta.request_ts;
      if (isFrame && requestTs !== undefined && publishAt !== undefined && !deps.ledger.has(result.task_id)) {
        await heartbeating(deps.frames.hold(deps.robotId, requestTs, publishAt, now()), deps.heartbeat ?? heartbeatUnlessLocal);
      }
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

    async deliverTurn(input): Promise<DeliveryOutcome> {
      checkRobot(input.delivery.robotId);
      return heartbeating(publishTurn(input), deps.heartbeat ?? heartbeatUnlessLocal);
    },
  };

  async function publishTurn({ delivery, answer }: TurnDeliveryInput): Promise<DeliveryOutcome> {
    const key = `${answer.turn_id}:${answer.part}`;
    const at = now();
    const latency_ms = at - delivery.receivedAt;
    if (deps.ledger.has(key)) return { status: 'delivered', detail: 'already published by an earlier attempt; not sent again', messages: 0, latency_ms, duplicate: true };
    if (at > delivery.deliverBy) return { status: 'stale', detail: `reached the bridge ${at - delivery.deliverBy} ms after its deadline; dropped`, messages: 0, latency_ms };
    const wav = answer.speech ? await replyAudio(answer.speech.audio_ref) : undefined;
    if (deps.ledger.has(key)) return { status: 'delivered', detail: 'already published by an overlapping attempt; not sent again', messages: 0, latency_ms, duplicate: true };
    const messages = robotMessagesOf(() => turnMessages(answer, wav, delivery, deps.messages.ttsChunkMs, at));
    deps.ledger.record(key);
    const topic = answer.part === 'speech' ? RESULT_TOPICS.ttsChunk : RESULT_TOPICS.asr;
    await traceResultDelivery(topic, { 'offload.task_id': answer.turn_id, 'offload.robot_id': deps.robotId, 'offload.messages': messages.length }, () => deps.bus.publish(messages));
    return { status: 'delivered', detail: `published ${messages.length} message(s) on ${topic}`, messages: messages.length, latency_ms };
  }

  function checkRobot(robotId: string): void {
    if (robotId !== deps.robotId) {
      throw ApplicationFailure.nonRetryable(
        `the bridge of robot ${deps.robotId} got a result for robot ${robotId}: give each robot's bridge its own OFFLOAD_BRIDGE_TASK_QUEUE`,
        ErrorType.WrongRobot,
      );
    }
  }

  async function replyAudio(ref: string): Promise<Buffer> {
    if (!deps.audioStore) throw badResult('this bridge has no voice AudioStore (OFFLOAD_VOICE_AUDIO_DIR) to read reply audio from');
    try {
      return await deps.audioStore.get(ref);
    } catch (err) {
      throw badResult(err instanceof Error ? err.message : String(err));
    }
  }
}

/** A local activity (the bridge hosts the run) has no heartbeat: its workflow task is its lease. */
function heartbeatUnlessLocal(): void {
  if (!activityInfo().isLocal) heartbeat();
}

async function heartbeating<T>(work: Promise<T>, beat: () => void): Promise<T> {
  const timer = setInterval(beat, HOLD_HEARTBEAT_MS);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
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
