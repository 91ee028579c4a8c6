import { Proxy, Subscriber, XPublisher, XSubscriber } from 'zeromq';
import { findFreePort } from '../../temporal/free-port';

export interface BusMessage {
  topic: string;
  payload: Record<string, unknown>;
}

/**
 * The robot's broker as Rider-PI runs it (XSUB bound on the publish port, XPUB on the subscribe
 * port, a proxy between them) plus an operator's SUB socket on the XPUB side.
 */
export class RobotBroker {
  readonly messages: BusMessage[] = [];
  private readonly proxy: Proxy<XSubscriber, XPublisher>;
  private readonly subscriber = new Subscriber({ linger: 0 });
  private proxyDone?: Promise<void>;
  private receiving?: Promise<void>;

  private constructor(
    readonly pubPort: number,
    readonly subPort: number,
  ) {
    this.proxy = new Proxy(new XSubscriber({ linger: 0 }), new XPublisher({ linger: 0 }));
  }

  static async start(topicPrefix = 'telemetry.'): Promise<RobotBroker> {
    const broker = new RobotBroker(await findFreePort(), await findFreePort());
    await broker.proxy.frontEnd.bind(`tcp://127.0.0.1:${broker.pubPort}`);
    await broker.proxy.backEnd.bind(`tcp://127.0.0.1:${broker.subPort}`);
    broker.proxyDone = broker.proxy.run();
    broker.subscriber.connect(`tcp://127.0.0.1:${broker.subPort}`);
    broker.subscriber.subscribe(topicPrefix);
    broker.receiving = broker.receive();
    return broker;
  }

  /** Messages of one topic received so far. */
  on(topic: string): BusMessage[] {
    return this.messages.filter((m) => m.topic === topic);
  }

  async waitFor(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; topics seen: ${[...new Set(this.messages.map((m) => m.topic))].join(', ') || 'none'}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async stop(): Promise<void> {
    this.subscriber.close();
    await this.receiving;
    this.proxy.terminate();
    await this.proxyDone;
  }

  private async receive(): Promise<void> {
    try {
      for await (const [topic, payload] of this.subscriber) {
        this.messages.push({ topic: topic.toString(), payload: JSON.parse(payload.toString()) as Record<string, unknown> });
      }
    } catch {
      // closed
    }
  }
}
