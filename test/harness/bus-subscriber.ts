import { Subscriber } from 'zeromq';

export interface BusMessage {
  topic: string;
  payload: Record<string, unknown>;
}

/** An operator's SUB socket on the robot broker's XPUB port, keeping what it receives. */
export class BusSubscriber {
  readonly messages: BusMessage[] = [];
  private readonly socket = new Subscriber({ linger: 0 });
  private readonly receiving: Promise<void>;

  private constructor(port: number, topicPrefix: string) {
    this.socket.connect(`tcp://127.0.0.1:${port}`);
    this.socket.subscribe(topicPrefix);
    this.receiving = this.receive();
  }

  static connect(xpubPort: number, topicPrefix = 'telemetry.'): BusSubscriber {
    return new BusSubscriber(xpubPort, topicPrefix);
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

  async close(): Promise<void> {
    this.socket.close();
    await this.receiving;
  }

  private async receive(): Promise<void> {
    try {
      for await (const [topic, payload] of this.socket) {
        this.messages.push({ topic: topic.toString(), payload: JSON.parse(payload.toString()) as Record<string, unknown> });
      }
    } catch {
      // closed
    }
  }
}
