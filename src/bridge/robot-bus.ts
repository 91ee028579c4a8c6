import { randomBytes } from 'node:crypto';
import { Publisher, Subscriber } from 'zeromq';
import type { RobotConnectionConfig } from '../config/load-config';

export interface RobotBusOptions {
  robot: Pick<RobotConnectionConfig, 'host' | 'pubPort' | 'subPort' | 'curve'>;
  /** Topic prefixes to subscribe to (exact byte prefixes, no wildcards). */
  topics: readonly string[];
}

export interface OutgoingMessage {
  topic: string;
  payload: unknown;
}

/** Topic of the bridge's own loop-back probe (robot processes do not subscribe to it). */
const PROBE_TOPIC_PREFIX = 'offload.bridge.probe.';
const PROBE_INTERVAL_MS = 100;

/**
 * The robot bus as the robot's own processes use it: SUB connected to the broker's XPUB
 * (`ROBOT:5556`), PUB connected to its XSUB (`ROBOT:5555`); multipart [topic, JSON]. ZeroMQ
 * reconnects by itself; publishes are serialised so messages keep their order.
 */
export class RobotBus {
  readonly subscribeUrl: string;
  readonly publishUrl: string;
  private readonly sub: Subscriber;
  private readonly pub: Publisher;
  private readonly probeTopic = `${PROBE_TOPIC_PREFIX}${randomBytes(6).toString('hex')}`;
  private probeSeen: (() => void) | undefined;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(options: RobotBusOptions) {
    const { robot } = options;
    const curve = robot.curve ? { curveServerKey: robot.curve.serverKey, curvePublicKey: robot.curve.publicKey, curveSecretKey: robot.curve.secretKey } : {};
    const reconnect = { reconnectInterval: 100, reconnectMaxInterval: 2000 };
    this.subscribeUrl = `tcp://${robot.host}:${robot.subPort}`;
    this.publishUrl = `tcp://${robot.host}:${robot.pubPort}`;
    this.sub = new Subscriber({ linger: 0, receiveHighWaterMark: 1000, ...reconnect, ...curve });
    this.pub = new Publisher({ linger: 500, sendHighWaterMark: 1000, ...reconnect, ...curve });
    this.sub.subscribe(...options.topics, this.probeTopic);
    this.sub.connect(this.subscribeUrl);
    this.pub.connect(this.publishUrl);
  }

  /** Receives until `close()`; `onMessage` must not throw (it gets every frame of each message). */
  async receive(onMessage: (frames: Buffer[]) => void): Promise<void> {
    try {
      for await (const frames of this.sub) {
        if (frames.length === 2 && frames[0].toString() === this.probeTopic) {
          this.probeSeen?.();
          continue;
        }
        onMessage(frames);
      }
    } catch (err) {
      if (!this.closed) throw err;
    }
  }

  /**
   * Resolves once a message published by this bridge has come back through the robot's broker:
   * from then on the broker has passed the robot's subscriptions to our PUB socket, so results are
   * not dropped on the floor (a PUB socket drops messages nobody has subscribed to yet).
   * Needs `receive()` running. Rejects when `signal` aborts.
   */
  async waitUntilPublishing(signal: AbortSignal, onStillWaiting?: (waitedMs: number) => void): Promise<void> {
    const started = Date.now();
    let nextNotice = 10_000;
    const seen = new Promise<void>((resolve) => (this.probeSeen = resolve));
    let done = false;
    void seen.then(() => (done = true));
    while (!done) {
      if (signal.aborted) throw new Error('stopped while waiting for the robot broker');
      await this.publish([{ topic: this.probeTopic, payload: { ts: Date.now() / 1000 } }]);
      await Promise.race([seen, delay(PROBE_INTERVAL_MS)]);
      if (!done && Date.now() - started >= nextNotice) {
        onStillWaiting?.(Date.now() - started);
        nextNotice += 30_000;
      }
    }
    this.probeSeen = undefined;
  }

  /** Publishes the messages in order, after everything published before them. */
  publish(messages: OutgoingMessage[]): Promise<void> {
    const send = async () => {
      for (const { topic, payload } of messages) await this.pub.send([topic, JSON.stringify(payload)]);
    };
    const sent = this.chain.then(send);
    this.chain = sent.catch(() => undefined);
    return sent;
  }

  /** No more requests: closes the SUB socket (publishing goes on). */
  stopReceiving(): void {
    if (this.closed) return;
    this.closed = true;
    this.sub.close();
  }

  /** Stops receiving; lets queued results leave (up to the PUB socket's linger), then closes. */
  async close(): Promise<void> {
    this.stopReceiving();
    await this.chain;
    if (!this.pub.closed) this.pub.close();
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
