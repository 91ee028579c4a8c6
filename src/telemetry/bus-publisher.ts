import { Publisher } from 'zeromq';
import type { Logger } from './logger';

export interface BusPublisherOptions {
  /** The robot broker's XSUB endpoint, e.g. `tcp://127.0.0.1:5555` (publishers connect there). */
  endpoint: string;
  log?: Logger;
  /** Messages waiting to be queued on the socket before new ones are dropped (default 1000). */
  maxPending?: number;
  /** CURVE keys (Z85) when the robot's broker encrypts the bus: its public key and this PC's pair. */
  curve?: { serverKey: string; publicKey: string; secretKey: string };
}

/** Fire-and-forget publishing on the robot bus: telemetry never waits for, or fails because of, the robot. */
export interface BusPublisher {
  readonly endpoint: string;
  publish(topic: string, payload: unknown): void;
  /** Messages dropped because the bus could not keep up. */
  dropped(): number;
  /** Sends what is pending (up to `flushMs`), then closes the socket. */
  close(flushMs?: number): Promise<void>;
}

/**
 * A ZeroMQ PUB socket connected to the robot's broker. Frames: topic, then the JSON payload (the
 * robot's bus format). Sends are serialised (a zeromq socket takes one send at a time).
 */
export function createBusPublisher(options: BusPublisherOptions): BusPublisher {
  const curve = options.curve ? { curveServerKey: options.curve.serverKey, curvePublicKey: options.curve.publicKey, curveSecretKey: options.curve.secretKey } : {};
  const socket = new Publisher({ linger: 0, sendHighWaterMark: 1000, sendTimeout: 0, ...curve });
  socket.connect(options.endpoint);
  const maxPending = options.maxPending ?? 1000;
  let chain: Promise<void> = Promise.resolve();
  let pending = 0;
  let dropped = 0;
  let closed = false;

  return {
    endpoint: options.endpoint,
    publish(topic, payload) {
      if (closed || pending >= maxPending) {
        dropped += 1;
        return;
      }
      const frames = [topic, JSON.stringify(payload)];
      pending += 1;
      chain = chain
        .then(() => socket.send(frames))
        .catch((err: unknown) => {
          dropped += 1;
          options.log?.debug({ topic, err: err instanceof Error ? err.message : String(err) }, 'telemetry message not sent');
        })
        .finally(() => {
          pending -= 1;
        });
    },
    dropped: () => dropped,
    async close(flushMs = 1000) {
      if (closed) return;
      closed = true;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([chain, new Promise((resolve) => (timer = setTimeout(resolve, flushMs)))]);
      clearTimeout(timer);
      socket.close();
    },
  };
}
