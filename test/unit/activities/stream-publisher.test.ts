import { Pull } from 'zeromq';
import { Registry } from 'prom-client';
import { createStreamPublisher } from '../../../src/activities/stream-publisher';
import type { StreamMessage } from '../../../src/shared/realtime-session';

function text(seq: number): StreamMessage {
  return { kind: 'text', session_id: 's', connection_id: 'c', response_id: 'resp_1', part: 0, attempt: 1, seq, delta: `word${seq} ` };
}

test('a gateway that listens gets every message of an endpoint, in order', async () => {
  const pull = new Pull();
  await pull.bind('tcp://127.0.0.1:*');
  const endpoint = pull.lastEndpoint as string;
  const publisher = createStreamPublisher();
  try {
    for (let seq = 0; seq < 50; seq++) publisher.publish(endpoint, text(seq));
    await publisher.flushed();
    const got: number[] = [];
    for (let i = 0; i < 50; i++) {
      const [frame] = await pull.receive();
      got.push((JSON.parse(frame.toString()) as StreamMessage).seq);
    }
    expect(got).toEqual(Array.from({ length: 50 }, (_, i) => i));
  } finally {
    await publisher.close();
    pull.close();
  }
});

test('no gateway at the endpoint: nothing queues for it, each message is dropped after its send timeout and counted by kind', async () => {
  const registry = new Registry();
  const publisher = createStreamPublisher({ registry });
  // A port nobody binds (connect never completes): each send waits its send timeout, then is dropped.
  const endpoint = 'tcp://127.0.0.1:9';
  try {
    publisher.publish(endpoint, text(0));
    publisher.publish(endpoint, { kind: 'audio', session_id: 's', connection_id: 'c', response_id: 'resp_1', part: 0, attempt: 1, seq: 1, sample_rate: 22050, pcm16_base64: '', last: true });
    await publisher.flushed();
    const values = (await registry.getMetricsAsJSON()).find((m) => m.name === 'offload_realtime_stream_dropped_total')?.values ?? [];
    expect(values.map((v) => [v.labels.kind, v.value]).sort()).toEqual([
      ['audio', 1],
      ['text', 1],
    ]);
  } finally {
    await publisher.close();
  }
}, 30_000);
