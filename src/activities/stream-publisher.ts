import { Counter, type Registry } from 'prom-client';
import { Push } from 'zeromq';
import type { StreamMessage } from '../shared/realtime-session';

/** Messages waiting per endpoint before new ones are dropped (a gateway that stopped reading). */
const QUEUE_LIMIT = 2000;
/** How long one send may wait for a gateway that is connecting or slow (`immediate`: nothing queues for a gateway not connected); the model never waits. */
const SEND_TIMEOUT_MS = 1000;

export interface StreamPublisher {
  /** Queues the message for its endpoint and returns at once; one that cannot be sent is dropped and counted. */
  publish(endpoint: string, message: StreamMessage): void;
  /** Resolves once every queued message was sent or dropped. */
  flushed(): Promise<void>;
  close(): Promise<void>;
}

interface Lane {
  socket: Push;
  queue: string[];
  pumping?: Promise<void>;
}

/** The hot stream to the gateways: one ZeroMQ PUSH per gateway endpoint, messages in order per endpoint. */
export function createStreamPublisher(options: { registry?: Registry } = {}): StreamPublisher {
  const dropped = new Counter({
    name: 'offload_realtime_stream_dropped_total',
    help: 'Realtime stream messages (text and audio deltas) that could not be sent to the gateway',
    labelNames: ['kind'],
    registers: options.registry ? [options.registry] : [],
  });
  const lanes = new Map<string, Lane>();

  const laneFor = (endpoint: string): Lane => {
    let lane = lanes.get(endpoint);
    if (!lane) {
      const socket = new Push({ linger: 0, immediate: true, sendHighWaterMark: QUEUE_LIMIT, sendTimeout: SEND_TIMEOUT_MS, reconnectInterval: 100, reconnectMaxInterval: 2000 });
      socket.connect(endpoint);
      lane = { socket, queue: [] };
      lanes.set(endpoint, lane);
    }
    return lane;
  };

  const pump = async (lane: Lane): Promise<void> => {
    while (lane.queue.length > 0) {
      const next = lane.queue.shift() as string;
      try {
        await lane.socket.send(next);
      } catch {
        dropped.inc({ kind: kindOf(next) });
      }
    }
    lane.pumping = undefined;
  };

  return {
    publish(endpoint, message) {
      const lane = laneFor(endpoint);
      if (lane.queue.length >= QUEUE_LIMIT) {
        dropped.inc({ kind: message.kind });
        return;
      }
      lane.queue.push(JSON.stringify(message));
      lane.pumping ??= pump(lane);
    },
    async flushed() {
      await Promise.all([...lanes.values()].map((lane) => lane.pumping));
    },
    async close() {
      for (const lane of lanes.values()) lane.socket.close();
      lanes.clear();
    },
  };
}

function kindOf(serialized: string): string {
  return serialized.startsWith('{"kind":"audio"') ? 'audio' : 'text';
}
