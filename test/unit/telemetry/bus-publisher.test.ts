import { createBusPublisher } from '../../../src/telemetry/bus-publisher';
import { RobotBroker } from '../../harness/robot-broker';
import { BusSubscriber } from '../../harness/bus-subscriber';

let broker: RobotBroker;
let operator: BusSubscriber;
beforeAll(async () => {
  broker = await RobotBroker.start();
  operator = BusSubscriber.connect(broker.xpubPort);
});
afterAll(async () => {
  await operator?.close();
  await broker?.stop();
});

test('messages go through the robot broker as [topic, JSON] frames to a SUB socket', async () => {
  const bus = createBusPublisher({ endpoint: `tcp://127.0.0.1:${broker.xsubPort}` });
  try {
    // PUB/SUB drops what is sent before the subscription reaches the publisher: send until one arrives.
    await operator.waitFor(
      () => {
        bus.publish('telemetry.queue.metrics', { ts: 1, queues: [] });
        return operator.on('telemetry.queue.metrics').length > 0;
      },
      30_000,
      'the first message',
    );
    for (let seq = 0; seq < 50; seq++) bus.publish('telemetry.task.completed', { seq });
    bus.publish('other.topic', { ignored: true });
    await operator.waitFor(() => operator.on('telemetry.task.completed').length === 50, 30_000, '50 messages');
    expect(operator.on('telemetry.task.completed').map((m) => m.payload.seq)).toEqual([...Array(50).keys()]);
    expect(operator.messages.find((m) => m.topic === 'other.topic')).toBeUndefined();
    expect(bus.dropped()).toBe(0);
  } finally {
    await bus.close();
  }
});

test('with no broker at all, publishing never throws and close() returns; after close messages are dropped', async () => {
  const bus = createBusPublisher({ endpoint: 'tcp://127.0.0.1:1' });
  for (let i = 0; i < 2000; i++) bus.publish('telemetry.task.completed', { i });
  await bus.close(500);
  const before = bus.dropped();
  bus.publish('telemetry.task.completed', { late: true });
  expect(bus.dropped()).toBe(before + 1);
});
