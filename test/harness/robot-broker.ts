import { XPublisher, XSubscriber } from 'zeromq';
import { findFreePort } from '../../temporal/free-port';

export interface RobotBrokerOptions {
  /** Bind these ports (a broker restarted where the old one was); default: free ports. */
  ports?: { xsubPort: number; xpubPort: number };
  /** CURVE server secret key (Z85): the broker then accepts only CURVE clients that know its public key. */
  curveSecretKey?: string;
}

/**
 * The robot's bus broker (Rider-PI services/broker.py): an XSUB socket bound where publishers
 * connect (robot port 5555) forwarding to an XPUB socket bound where subscribers connect (5556),
 * subscriptions flowing back upstream. Here on free ports of 127.0.0.1.
 */
export class RobotBroker {
  private readonly loops: Promise<void>[];

  private constructor(
    private readonly xsub: XSubscriber,
    private readonly xpub: XPublisher,
    /** Publishers connect here (the robot's 5555). */
    readonly xsubPort: number,
    /** Subscribers connect here (the robot's 5556). */
    readonly xpubPort: number,
  ) {
    this.loops = [forward(xsub, xpub), forward(xpub, xsub)];
  }

  static async start(options: RobotBrokerOptions = {}): Promise<RobotBroker> {
    const curve = options.curveSecretKey ? { curveServer: true, curveSecretKey: options.curveSecretKey } : {};
    const xsub = new XSubscriber({ linger: 0, ...curve });
    const xpub = new XPublisher({ linger: 0, ...curve });
    const xsubPort = options.ports ? await bindPort(xsub, options.ports.xsubPort) : await bindFree(xsub);
    const xpubPort = options.ports ? await bindPort(xpub, options.ports.xpubPort) : await bindFree(xpub);
    return new RobotBroker(xsub, xpub, xsubPort, xpubPort);
  }

  async stop(): Promise<void> {
    this.xsub.close();
    this.xpub.close();
    await Promise.allSettled(this.loops);
  }
}

async function bindFree(socket: XSubscriber | XPublisher): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const port = await findFreePort();
    try {
      await socket.bind(`tcp://127.0.0.1:${port}`);
      return port;
    } catch (err) {
      if (attempt >= 5) throw err;
    }
  }
}

/** Binds a port a stopped broker held: ZeroMQ releases it asynchronously after close, so "in use" is retried for a while. */
async function bindPort(socket: XSubscriber | XPublisher, port: number, timeoutMs = 5000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await socket.bind(`tcp://127.0.0.1:${port}`);
      return port;
    } catch (err) {
      if (!/in use/i.test(err instanceof Error ? err.message : String(err)) || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

async function forward(from: XSubscriber | XPublisher, to: XSubscriber | XPublisher): Promise<void> {
  try {
    for await (const frames of from) await to.send(frames);
  } catch {
    // closed
  }
}
