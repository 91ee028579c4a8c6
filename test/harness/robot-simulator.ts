import { readFileSync, readdirSync } from 'node:fs';
import { Publisher, Subscriber } from 'zeromq';
import { FIXTURES_DIR, fixturePath } from './fixtures';
import { percentile } from './percentile';
import { playTtsChunk, type PlayedChunk } from './robot-playback';

/** The topics the robot listens to for the PC's answers (PROTOCOL.md). */
export const ROBOT_RESULT_TOPICS = ['vision.obstacle.enhanced', 'voice.asr.result', 'voice.tts.chunk'] as const;

export interface ReceivedMessage {
  topic: string;
  payload: Record<string, unknown>;
  /** Local receive time (ms, performance clock). */
  at: number;
}

export interface FrameStreamOptions {
  fps: number;
  durationMs: number;
  /** JPEG images sent in turn (default: every fixtures/images/*_320x240.jpg). */
  images?: Buffer[];
  /** How long to wait for late answers after the last frame (default 2000 ms). */
  drainMs?: number;
  /** Called after each frame is sent (index from 0). */
  onFrame?: (index: number) => void | Promise<void>;
}

export interface FrameStreamStats {
  sent: number;
  /** Frames with at least one `vision.obstacle.enhanced` answer (matched by `meta.request_ts`). */
  answered: number;
  /** Answers with a model result (not `fallback_required`). */
  answeredByModel: number;
  /** Answers whose `present` is boolean and `confidence` a number. */
  wellFormed: number;
  /** Frames answered more than once. */
  duplicates: number;
  latenciesMs: number[];
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** Send time (ms, performance clock) by frame ts. */
  sentAt: Map<number, number>;
}

/** The 320x240 JPEG fixtures, the robot's default offload frame size. */
export function robotFrames(): Buffer[] {
  const dir = `${FIXTURES_DIR}/images`;
  return readdirSync(dir)
    .filter((name) => name.endsWith('_320x240.jpg'))
    .sort()
    .map((name) => readFileSync(fixturePath(`images/${name}`)));
}

/**
 * A robot on the bus, written from PROTOCOL.md: publishes requests with a PUB socket connected to
 * the broker's XSUB port and reads the PC's answers with a SUB socket connected to its XPUB port.
 */
export class RobotSimulator {
  readonly received: ReceivedMessage[] = [];
  private readonly listeners = new Set<(message: ReceivedMessage) => void>();
  private readonly loop: Promise<void>;
  private chain: Promise<void> = Promise.resolve();

  private constructor(
    private readonly pub: Publisher,
    private readonly sub: Subscriber,
  ) {
    this.loop = this.receive();
  }

  /** `curve`: the broker's public key and this robot process's key pair, when the bus is encrypted. */
  static async connect(
    ports: { xsubPort: number; xpubPort: number },
    host = '127.0.0.1',
    curve?: { serverKey: string; publicKey: string; secretKey: string },
  ): Promise<RobotSimulator> {
    const keys = curve ? { curveServerKey: curve.serverKey, curvePublicKey: curve.publicKey, curveSecretKey: curve.secretKey } : {};
    const pub = new Publisher({ linger: 0, ...keys });
    const sub = new Subscriber({ linger: 0, ...keys });
    const probe = `robot.sim.probe.${Math.random().toString(36).slice(2)}`;
    sub.subscribe(...ROBOT_RESULT_TOPICS, probe);
    pub.connect(`tcp://${host}:${ports.xsubPort}`);
    sub.connect(`tcp://${host}:${ports.xpubPort}`);
    const robot = new RobotSimulator(pub, sub);
    await robot.waitForOwnEcho(probe);
    return robot;
  }

  /** Publishes `[topic, JSON]` as the robot's BusPub does. */
  publish(topic: string, payload: unknown): Promise<void> {
    return this.send([topic, JSON.stringify(payload)]);
  }

  /** Publishes arbitrary frames (garbage tests). */
  send(frames: Array<string | Buffer>): Promise<void> {
    const sent = this.chain.then(() => this.pub.send(frames));
    this.chain = sent.catch(() => undefined);
    return sent;
  }

  onMessage(listener: (message: ReceivedMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The first message (already received or coming) on `topic` that satisfies `match`. */
  waitFor(topic: string, match: (payload: Record<string, unknown>) => boolean, timeoutMs: number): Promise<ReceivedMessage> {
    const found = this.received.find((m) => m.topic === topic && match(m.payload));
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        stop();
        reject(new Error(`no ${topic} message matching within ${timeoutMs} ms`));
      }, timeoutMs);
      const stop = this.onMessage((m) => {
        if (m.topic === topic && match(m.payload)) {
          clearTimeout(timer);
          stop();
          resolve(m);
        }
      });
    });
  }

  /** Messages on `topic` answering the request with this `meta.request_ts` (or `task_id`). */
  answersTo(topic: string, key: { requestTs?: number; taskId?: string }): ReceivedMessage[] {
    return this.received.filter((m) => {
      const meta = (m.payload.meta ?? {}) as Record<string, unknown>;
      return m.topic === topic && (key.requestTs === undefined || meta.request_ts === key.requestTs) && (key.taskId === undefined || m.payload.task_id === key.taskId || meta.task_id === key.taskId);
    });
  }

  /** A task's `voice.tts.chunk`s as the robot plays them, in arrival order; a chunk it drops is `undefined`. */
  playedSpeech(taskId: string): Array<PlayedChunk | undefined> {
    return this.received.filter((m) => m.topic === 'voice.tts.chunk' && m.payload.task_id === taskId).map((m) => playTtsChunk(m.payload));
  }

  /** The robot's vision offload dispatcher: `{ts, frame_jpeg, size}` at `fps` for `durationMs`, then the answer statistics. */
  async streamFrames(options: FrameStreamOptions): Promise<FrameStreamStats> {
    const count = Math.round((options.durationMs / 1000) * options.fps);
    const sentAt = new Map<number, number>();
    await this.sendFrames(options.fps, options.images ?? robotFrames(), sentAt, (i) => i < count, options.onFrame);
    await new Promise((resolve) => setTimeout(resolve, options.drainMs ?? 2000));
    return this.frameStats(sentAt);
  }

  /** The camera left running: frames at `fps` until `stop` (which resolves once the last frame is sent). */
  startFrameStream(fps: number, images: Buffer[] = robotFrames()): { sentAt: Map<number, number>; stop(): Promise<void> } {
    const sentAt = new Map<number, number>();
    let stopped = false;
    const sending = this.sendFrames(fps, images, sentAt, () => !stopped);
    return {
      sentAt,
      async stop() {
        stopped = true;
        await sending;
      },
    };
  }

  /** Frames at `fps` while `more(index)` holds; send times (ms, performance clock) by ts into `sentAt`. */
  private async sendFrames(fps: number, images: Buffer[], sentAt: Map<number, number>, more: (index: number) => boolean, onFrame?: FrameStreamOptions['onFrame']): Promise<void> {
    const interval = 1000 / fps;
    const start = performance.now();
    let lastTs = 0;
    for (let i = 0; more(i); i++) {
      const wait = start + i * interval - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      if (!more(i)) break;
      const ts = Math.max(Date.now() / 1000, lastTs + 0.001);
      lastTs = ts;
      sentAt.set(ts, performance.now());
      await this.publish('vision.frame.offload', { ts, frame_jpeg: images[i % images.length].toString('base64'), size: { w: 320, h: 240 } });
      await onFrame?.(i);
    }
  }

  /** Answer statistics of frames sent at the given times. */
  frameStats(sentAt: Map<number, number>): FrameStreamStats {
    const answers = new Map<number, ReceivedMessage[]>();
    for (const m of this.received) {
      if (m.topic !== 'vision.obstacle.enhanced') continue;
      const ts = ((m.payload.meta ?? {}) as Record<string, unknown>).request_ts as number;
      if (sentAt.has(ts)) answers.set(ts, [...(answers.get(ts) ?? []), m]);
    }
    const firsts = [...answers.entries()].map(([ts, list]) => ({ ts, first: list[0], count: list.length }));
    const latencies = firsts.map(({ ts, first }) => first.at - (sentAt.get(ts) as number)).sort((a, b) => a - b);
    return {
      sent: sentAt.size,
      answered: firsts.length,
      answeredByModel: firsts.filter(({ first }) => !((first.payload.meta ?? {}) as Record<string, unknown>).fallback_required).length,
      wellFormed: firsts.filter(({ first }) => typeof first.payload.present === 'boolean' && typeof first.payload.confidence === 'number').length,
      duplicates: firsts.filter((f) => f.count > 1).length,
      latenciesMs: latencies,
      p50Ms: Math.round(percentile(latencies, 50)),
      p95Ms: Math.round(percentile(latencies, 95)),
      maxMs: Math.round(latencies[latencies.length - 1] ?? NaN),
      sentAt,
    };
  }

  async close(): Promise<void> {
    this.sub.close();
    this.pub.close();
    await this.loop;
  }

  private async receive(): Promise<void> {
    try {
      for await (const [topic, body] of this.sub) {
        let payload: Record<string, unknown>;
        try {
          payload = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
        } catch {
          payload = { unparsable: body.toString('utf8') };
        }
        const message = { topic: topic.toString('utf8'), payload, at: performance.now() };
        this.received.push(message);
        for (const listener of this.listeners) listener(message);
      }
    } catch {
      // closed
    }
  }

  private async waitForOwnEcho(probe: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    let seen = false;
    const stop = this.onMessage((m) => (seen ||= m.topic === probe));
    try {
      while (!seen) {
        if (Date.now() > deadline) throw new Error('the robot simulator never heard itself through the broker');
        await this.publish(probe, {});
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      stop();
    }
    this.received.splice(0, this.received.length, ...this.received.filter((m) => m.topic !== probe));
  }
}
