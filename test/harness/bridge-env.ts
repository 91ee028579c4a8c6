import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Registry } from 'prom-client';
import { RobotBridge } from '../../src/bridge/robot-bridge';
import type { Hardware } from '../../src/shared/task-types';
import { createLogger } from '../../src/telemetry/logger';
import { modelPath } from '../../src/models/install/model-files';
import { SILERO_VAD } from '../../src/models/registry/silero-vad';
import { VoiceActivityDetector } from '../../src/models/voice-activity-detection/voice-activity-detector';
import { Client } from '@temporalio/client';
import { OffloadClient } from '../../src/client/offload-client';
import { OffloadTestEnv, workflowBundle } from './offload-env';
import { TEST_DEADLINE_MS } from './test-deadlines';
import { RobotBroker } from './robot-broker';
import { RobotSimulator, type FrameStreamStats } from './robot-simulator';
import { settledFrameStats, unansweredFrames } from './frame-outcomes';

/** Log lines a test can read. */
export class LogLines extends Writable {
  readonly lines: Record<string, unknown>[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) this.lines.push(JSON.parse(line) as Record<string, unknown>);
    done();
  }
}

/** A robot broker, Offload (workflow + inference workers) and a bridge in this process, and a simulated robot. */
export class BridgeTestEnv {
  private constructor(
    readonly broker: RobotBroker,
    readonly env: OffloadTestEnv,
    readonly bridge: RobotBridge,
    readonly robot: RobotSimulator,
    readonly registry: Registry,
    readonly logs: LogLines,
    readonly robotId: string,
    /** The client the bridge starts its runs with (on the fast path: on the worker's connection, starting eagerly). */
    readonly bridgeOffload: OffloadClient,
    private readonly vad?: VoiceActivityDetector,
  ) {}

  /** `vad`: load the Silero VAD for the robot's voice stream (when installed). */
  static async start(options: { hardware?: Hardware[]; env?: Record<string, string>; logLevel?: string; vad?: boolean } = {}): Promise<BridgeTestEnv> {
    const broker = await RobotBroker.start();
    const robotId = `sim-${Math.random().toString(36).slice(2, 8)}`;
    const env = await OffloadTestEnv.start({
      hardware: options.hardware ?? ['gpu', 'cpu'],
      env: {
        OFFLOAD_ROBOT_ID: robotId,
        OFFLOAD_ROBOT_HOST: '127.0.0.1',
        OFFLOAD_ROBOT_PUB_PORT: String(broker.xsubPort),
        OFFLOAD_ROBOT_SUB_PORT: String(broker.xpubPort),
        ...options.env,
      },
    });
    const registry = new Registry();
    const logs = new LogLines();
    const vad = options.vad ? await loadTestVad(env.config.modelDir) : undefined;
    // As start-bridge does: on the fast path the bridge hosts its robot's runs, started on the worker's connection.
    const fastPath = env.config.fastPath;
    const bridgeOffload = fastPath ? new OffloadClient({ client: new Client({ connection: env.nativeConnection, namespace: env.config.namespace }), config: env.config }) : env.offload;
    const bridge = new RobotBridge({
      config: env.config,
      offload: bridgeOffload,
      connection: env.nativeConnection,
      ...(fastPath ? { hostRuns: { workflowBundle: await workflowBundle() } } : {}),
      registry,
      log: createLogger('bridge-test', options.logLevel ?? 'info', { destination: logs }),
      ledgerFile: join(mkdtempSync(join(tmpdir(), 'offload-bridge-')), 'delivered.log'),
      vad,
    });
    await bridge.ready;
    const robot = await RobotSimulator.connect(broker);
    return new BridgeTestEnv(broker, env, bridge, robot, registry, logs, robotId, bridgeOffload, vad);
  }

  /**
   * A bridge for the robot's voice: the VAD loaded, one cpu worker serving every voice step, and
   * turns with the test deadline (how soon they answer is the bench's business).
   */
  static startVoice(language: 'pl' | 'en'): Promise<BridgeTestEnv> {
    return BridgeTestEnv.start({
      hardware: ['cpu'],
      vad: true,
      env: { OFFLOAD_ROBOT_LANGUAGE: language, OFFLOAD_VOICE_TURN_DEADLINE_MS: String(TEST_DEADLINE_MS), OFFLOAD_ROUTES: 'voice.asr=cpu,voice.tts=cpu,text.nlu=cpu,text.generate=cpu' },
    });
  }

  /** The statistics of frames sent, once each run has ended and what it delivered has arrived. */
  settled(stats: FrameStreamStats): Promise<FrameStreamStats> {
    return settledFrameStats(this.env.client, this.robot, this.robotId, stats.sentAt);
  }

  /** What became of frames the robot got no answer for. */
  unanswered(stats: FrameStreamStats): Promise<string[]> {
    return unansweredFrames(this.env.client, this.robot, this.robotId, stats);
  }

  /** Value of a counter series with these labels (0 when absent). */
  async counter(name: string, labels: Record<string, string> = {}): Promise<number> {
    const metric = (await this.registry.getMetricsAsJSON()).find((m) => m.name === name);
    return (metric?.values ?? [])
      .filter((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val))
      .reduce((sum, v) => sum + v.value, 0);
  }

  async close(): Promise<void> {
    await this.robot.close();
    await this.bridge.stop();
    await this.vad?.close();
    await this.env.close();
    await this.broker.stop();
  }
}

async function loadTestVad(modelDir: string): Promise<VoiceActivityDetector> {
  return VoiceActivityDetector.load(modelPath(modelDir, SILERO_VAD));
}
