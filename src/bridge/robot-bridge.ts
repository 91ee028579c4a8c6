import { Worker, type NativeConnection } from '@temporalio/worker';
import type { Registry } from 'prom-client';
import { createLiveWorkerProbe } from '../client/live-workers';
import type { OffloadClient } from '../client/offload-client';
import type { OffloadConfig } from '../config/load-config';
import type { DeliverySpec } from '../shared/delivery';
import type { TaskEnvelope } from '../shared/task';
import { InvalidTaskError } from '../shared/errors';
import { activityTracingInterceptors } from '../telemetry/activity/activity-tracing';
import { deliveryTelemetryInterceptors } from '../telemetry/activity/delivery-telemetry';
import type { Logger } from '../telemetry/logger';
import { workflowHostingOptions, type WorkflowHosting } from '../telemetry/sinks/workflow-modules';
import { traceRobotMessage } from '../telemetry/spans';
import { createBridgeActivities } from './bridge-activities';
import { createBridgeMetrics, type BridgeMetrics, type SharedMetrics } from './bridge-metrics';
import { parseBusMessage } from './bus-message';
import { openDeliveryLedger, type DeliveryLedger } from './delivery-ledger';
import { FrameTracker, temporalFrameRuns, type FrameRunControl } from './frame-tracker';
import { taskFor, unservedResult, unstartedResult } from './request-tasks';
import { resultMessages, robotTopicOf, type ResultMessageOptions } from './result-messages';
import { RobotBus } from './robot-bus';
import { RouteLiveness } from './route-liveness';
import { readRobotRequest, type FrameRequest, type TtsRequest } from './robot-requests';
import { RobotVoice } from './robot-voice';
import { REQUEST_TOPICS, SUBSCRIBED_TOPICS, type RequestTopic } from './topics';
import { policyFor, type PolicyConfig } from '../client/task-policy';
import type { VoiceActivityDetector } from '../models/voice-activity-detection/voice-activity-detector';
import { workflowQueue } from '../shared/queues';
import { directoryAudioStore, type AudioStore } from '../voice/audio-store';
import { createVoiceMetrics } from '../voice/voice-metrics';
import { temporalVoiceSessions, type VoiceSessions } from '../voice/voice-sessions';

export interface RobotBridgeOptions {
  config: Pick<OffloadConfig, 'namespace' | 'robot' | 'bridge' | 'obstacle' | 'maxPayloadBytes' | 'voice'> & PolicyConfig;
  /** Starts the runs (its Temporal client also reads and signals frame runs). */
  offload: OffloadClient;
  /** Worker connection for the bridge's task queue. */
  connection: NativeConnection;
  /** Where the `bridge_*` series go. */
  registry: Registry;
  /** Offload's shared series (malformed messages), when the process has them. */
  sharedMetrics?: SharedMetrics;
  /** Temporal identity of the delivery worker (see `workerIdentity`). */
  identity?: string;
  /** Spans `robot.receive <topic>` -> run -> `robot.deliver <topic>` (start `startTracing` first). */
  tracing?: boolean;
  log: Logger;
  /** Journal of delivered task ids, so a restarted bridge does not publish a result twice. */
  ledgerFile?: string;
  /** Frame runs' state and supersede signal (default: through Temporal). */
  frameRuns?: FrameRunControl;
  /** Silero VAD that finds utterances in the robot's microphone stream (none: the stream is counted and dropped). */
  vad?: VoiceActivityDetector;
  /** Utterance and reply audio (default: the directory `config.voice.audioDir`). */
  audioStore?: AudioStore;
  /** The voice-session workflows (default: through Temporal). */
  voiceSessions?: VoiceSessions;
  /** Whether live workers serve each route (default: Temporal's worker heartbeats, probed at most once a second). */
  liveness?: RouteLiveness;
  /**
   * The fast path: the bridge's worker also runs its robot's task workflows (`offload` should be on
   * `connection`, so that their first workflow task starts here eagerly) and delivers by a local
   * activity. Unset: the runs go to the workflow workers and delivery is an activity on the bridge's queue.
   */
  hostRuns?: WorkflowHosting;
}

/**
 * The robot bridge: robot requests on the bus become runs; their results come back through
 * `deliverResult` on the bridge's task queue and are published to the robot.
 */
export class RobotBridge {
  /** Resolves once results can reach the robot and the delivery worker is polling. */
  readonly ready: Promise<void>;
  readonly metrics: BridgeMetrics;
  private readonly bus: RobotBus;
  private readonly frames: FrameTracker;
  private readonly abort = new AbortController();
  private readonly receiving: Promise<void>;
  private worker: Worker | undefined;
  private running: Promise<void> | undefined;
  private readonly pending = new Set<Promise<void>>();
  private readonly messageOptions: ResultMessageOptions;
  private readonly voice: RobotVoice;
  private readonly audioStore: AudioStore;
  private readonly ledger: DeliveryLedger;
  private readonly liveness: RouteLiveness;

  constructor(private readonly options: RobotBridgeOptions) {
    const { config, log } = options;
    this.metrics = createBridgeMetrics(options.registry, log, options.sharedMetrics);
    this.messageOptions = { obstacle: config.obstacle, ttsChunkMs: config.bridge.ttsChunkMs };
    this.frames = new FrameTracker({
      control: options.frameRuns ?? temporalFrameRuns(options.offload.temporal),
      onSuperseded: (taskId, by) => {
        this.metrics.superseded();
        log.debug({ taskId, by }, 'frame superseded by a newer one');
      },
      forgetAfterMs: config.deadlinesMs['vision.frame'] + 5000,
    });
    this.audioStore = options.audioStore ?? directoryAudioStore(config.voice.audioDir);
    this.voice = new RobotVoice({
      robotId: config.robot.id,
      voice: config.voice,
      session: {
        robot_id: config.robot.id,
        language: config.robot.language,
        policies: {
          'voice.asr': policyFor('voice.asr', config),
          'text.nlu': policyFor('text.nlu', config),
          'text.generate': policyFor('text.generate', config),
          'voice.tts': policyFor('voice.tts', config),
        },
        answers: { taskQueue: config.bridge.taskQueue, robotId: config.robot.id },
        turn_deadline_ms: config.voice.turnDeadlineMs,
        idle_timeout_ms: config.voice.idleTimeoutMs,
      },
      vad: options.vad,
      store: this.audioStore,
      sessions: options.voiceSessions ?? temporalVoiceSessions(options.offload.temporal, workflowQueue(config.queuePrefix)),
      metrics: createVoiceMetrics(options.registry, 'robot'),
      log,
    });
    this.ledger = openDeliveryLedger({ file: options.ledgerFile });
    this.liveness =
      options.liveness ??
      new RouteLiveness({
        workers: createLiveWorkerProbe(options.offload.temporal, config.queuePrefix),
        routes: config.routes,
        onChange: (unserved, workers) =>
          unserved.length > 0
            ? log.warn({ unserved, workers }, 'no live inference worker serves these task types: their requests are answered fallback_required at once')
            : log.info({ workers }, 'every task type has a live inference worker on its route'),
      });
    this.bus = new RobotBus({ robot: config.robot, topics: SUBSCRIBED_TOPICS });
    log.info({ subscribe: this.bus.subscribeUrl, publish: this.bus.publishUrl, topics: SUBSCRIBED_TOPICS, curve: Boolean(config.robot.curve) }, 'robot bus connecting');
    this.receiving = this.bus.receive((frames) => {
      try {
        this.onMessage(frames);
      } catch (err) {
        log.error({ err: err instanceof Error ? err.message : String(err) }, 'a robot message could not be handled; dropped');
      }
    });
    this.receiving.catch((err: unknown) => log.error({ err: String(err) }, 'robot bus receive loop failed'));
    this.ready = this.startDelivering();
  }

  private async startDelivering(): Promise<void> {
    const { config, log } = this.options;
    await this.bus.waitUntilPublishing(this.abort.signal, (ms) =>
      log.warn({ waitedMs: ms, broker: this.bus.publishUrl }, 'no answer from the robot broker yet (is the robot up, and OFFLOAD_ROBOT_HOST right?); still trying'),
    );
    const hosting = this.options.hostRuns ? workflowHostingOptions(this.options.hostRuns) : undefined;
    this.worker = await Worker.create({
      connection: this.options.connection,
      namespace: config.namespace,
      taskQueue: config.bridge.taskQueue,
      ...(this.options.identity ? { identity: this.options.identity } : {}),
      ...(hosting ? { ...hosting, maxConcurrentWorkflowTaskExecutions: 20 } : {}),
      interceptors: {
        ...hosting?.interceptors,
        activity: [
          ...(this.options.tracing ? [activityTracingInterceptors()] : []),
          deliveryTelemetryInterceptors({ metrics: this.metrics, topicOf: robotTopicOf }),
        ],
      },
      activities: createBridgeActivities({
        robotId: config.robot.id,
        bus: this.bus,
        ledger: this.ledger,
        frames: this.frames,
        messages: this.messageOptions,
        audioStore: this.audioStore,
      }),
      maxConcurrentActivityTaskExecutions: 50,
      maxConcurrentLocalActivityExecutions: 50,
      shutdownGraceTime: '2s',
    });
    this.running = this.worker.run();
    log.info({ robot: config.robot.id, taskQueue: config.bridge.taskQueue }, 'robot bus up: delivering results');
  }

  /** Resolves once the robot's microphone chunks received so far are listened to and their utterances handed over. */
  voiceSettled(): Promise<void> {
    return this.voice.settled();
  }

  /** Stops taking requests, lets deliveries in progress finish, closes the bus. Pending deliveries stay queued for the next bridge. */
  async stop(): Promise<void> {
    this.abort.abort();
    this.bus.stopReceiving();
    await Promise.allSettled([...this.pending, this.voice.stop()]);
    await this.ready.catch(() => undefined);
    if (this.worker && this.worker.getState() === 'RUNNING') this.worker.shutdown();
    await this.running?.catch(() => undefined);
    await this.bus.close();
    await this.receiving.catch(() => undefined);
  }

  private onMessage(frames: Buffer[]): void {
    const receivedAt = Date.now();
    const { config } = this.options;
    const message = parseBusMessage(frames, Math.ceil((config.maxPayloadBytes * 4) / 3) + 64 * 1024);
    if (!message.ok) return this.metrics.malformed(message);
    this.metrics.received(message.topic);
    const request = readRobotRequest(message, config.maxPayloadBytes);
    if ('ok' in request) return this.metrics.malformed(request);
    if (request.kind === 'asr') {
      this.metrics.voiceChunk();
      return this.voice.push(request);
    }
    const submitted = this.submit(request, receivedAt);
    this.pending.add(submitted);
    void submitted.finally(() => this.pending.delete(submitted));
  }

  private async submit(request: FrameRequest | TtsRequest, receivedAt: number): Promise<void> {
    const { config, offload, log } = this.options;
    const robotId = config.robot.id;
    const task = taskFor(request, robotId, receivedAt);
    const delivery: DeliverySpec = {
      taskQueue: config.bridge.taskQueue,
      robotId,
      receivedAt,
      deliverBy: receivedAt + config.deadlinesMs[task.task_type],
      ...(this.options.hostRuns ? { local: true } : {}),
    };
    if (config.bridge.fastFallback && this.liveness.unserved(task.task_type)) return this.answerUnserved(request, task, delivery);
    if (request.kind === 'frame') this.frames.received(robotId, task.task_id, request.ts, receivedAt);
    try {
      await traceRobotMessage(topicOf(request), { 'offload.task_id': task.task_id, 'offload.robot_id': robotId }, () => offload.submit(task, { wait: false, delivery }));
      this.metrics.submitted(task.task_type);
    } catch (err) {
      this.frames.forget(robotId, task.task_id);
      if (err instanceof InvalidTaskError) {
        this.metrics.malformed({ ok: false, topic: topicOf(request), reason: 'bad_value', detail: err.message });
        return;
      }
      this.metrics.submitFailed(task.task_type, err);
      this.metrics.answeredWithoutRun(task.task_type, 'not_started');
      const answer = resultMessages(unstartedResult(task, delivery, err instanceof Error ? err.message : String(err)), delivery, this.messageOptions);
      await this.bus.publish(answer).catch((e: unknown) => log.warn({ err: String(e) }, 'could not publish the fallback answer'));
      return;
    }
    if (request.kind === 'frame') await this.frames.admitted(robotId, task.task_id);
  }

  /**
   * No live worker serves the task's route: the fail-safe answer goes out now instead of after the
   * ladder's pickup timeouts. Journaled like a delivery (the same request seen again is not answered
   * twice), and a frame answered so tells older frames still waiting that they need no answer.
   */
  private async answerUnserved(request: FrameRequest | TtsRequest, task: TaskEnvelope, delivery: DeliverySpec): Promise<void> {
    const { config, log } = this.options;
    if (this.ledger.has(task.task_id)) return;
    this.ledger.record(task.task_id);
    if (request.kind === 'frame') {
      // Older frames' held fail-safes go first (nothing will answer them sooner), in order, before this newer answer outdates them.
      this.frames.releaseHeld(delivery.robotId);
      await new Promise((resolve) => setImmediate(resolve));
    }
    const answer = resultMessages(unservedResult(task, delivery, config.routes[task.task_type]), delivery, this.messageOptions);
    await this.bus.publish(answer).catch((e: unknown) => log.warn({ err: String(e) }, 'could not publish the fallback answer'));
    this.metrics.answeredWithoutRun(task.task_type, 'no_live_worker');
    if (request.kind === 'frame') await this.frames.delivered(delivery.robotId, task.task_id, request.ts, delivery.receivedAt);
  }
}

function topicOf(request: FrameRequest | TtsRequest): RequestTopic {
  return request.kind === 'frame' ? REQUEST_TOPICS.frame : REQUEST_TOPICS.tts;
}
