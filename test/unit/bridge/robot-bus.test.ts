import { curveKeyPair } from 'zeromq';
import { RobotBus } from '../../../src/bridge/robot-bus';
import { SUBSCRIBED_TOPICS } from '../../../src/bridge/topics';
import { waitUntil } from '../../harness/poll-until';
import { RobotBroker } from '../../harness/robot-broker';
import { RobotSimulator } from '../../harness/robot-simulator';

/** A bus whose received messages a test can read. */
function openBus(ports: { xsubPort: number; xpubPort: number }, curve?: { serverKey: string; publicKey: string; secretKey: string }) {
  const bus = new RobotBus({ robot: { host: '127.0.0.1', pubPort: ports.xsubPort, subPort: ports.xpubPort, curve }, topics: SUBSCRIBED_TOPICS });
  const received: string[][] = [];
  const receiving = bus.receive((frames) => received.push(frames.map((f) => f.toString())));
  return { bus, received, receiving };
}

test('SUB on the XPUB port with the exact request topics, PUB on the XSUB port; other topics are not received', async () => {
  const broker = await RobotBroker.start();
  const { bus, received } = openBus(broker);
  await bus.waitUntilPublishing(new AbortController().signal);
  const robot = await RobotSimulator.connect(broker);
  await robot.publish('vision.obstacle', { present: true });
  await robot.publish('vision.frame.offload', { ts: 1 });
  await waitUntil('the bus received a message', () => received.length > 0, 30_000);
  expect(received).toEqual([['vision.frame.offload', '{"ts":1}']]);
  await bus.publish([{ topic: 'vision.obstacle.enhanced', payload: { present: false } }]);
  const answer = await robot.waitFor('vision.obstacle.enhanced', () => true, 30_000);
  expect(answer.payload).toEqual({ present: false });
  await robot.close();
  await bus.close();
  await broker.stop();
});

test('reconnects by itself when the robot\'s broker restarts', async () => {
  const first = await RobotBroker.start();
  const { bus, received } = openBus(first);
  await bus.waitUntilPublishing(new AbortController().signal);
  await first.stop();
  const second = await RobotBroker.start({ ports: { xsubPort: first.xsubPort, xpubPort: first.xpubPort } });
  const robot = await RobotSimulator.connect(second);
  const deadline = Date.now() + 30_000;
  while (received.length === 0 && Date.now() < deadline) {
    await robot.publish('voice.tts.request', { text: 'again' });
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(received[0][0]).toBe('voice.tts.request');
  for (let i = 0; i < 300 && !robot.received.some((m) => m.topic === 'voice.tts.chunk'); i++) {
    await bus.publish([{ topic: 'voice.tts.chunk', payload: { seq: 0, final: true } }]);
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(robot.received.some((m) => m.topic === 'voice.tts.chunk')).toBe(true);
  await robot.close();
  await bus.close();
  await second.stop();
}, 90_000);

test('CURVE: with the broker\'s public key and its own pair the bridge talks; without them it hears nothing', async () => {
  const server = curveKeyPair();
  const broker = await RobotBroker.start({ curveSecretKey: server.secretKey });
  const pc = curveKeyPair();
  const { bus, received } = openBus(broker, { serverKey: server.publicKey, publicKey: pc.publicKey, secretKey: pc.secretKey });
  await bus.waitUntilPublishing(AbortSignal.timeout(30_000));
  const robotKeys = curveKeyPair();
  const robot = await RobotSimulator.connect(broker, '127.0.0.1', { serverKey: server.publicKey, publicKey: robotKeys.publicKey, secretKey: robotKeys.secretKey });
  await robot.publish('vision.frame.offload', { ts: 2 });
  await waitUntil('the bus received a message', () => received.length > 0, 30_000);
  expect(received[0]).toEqual(['vision.frame.offload', '{"ts":2}']);

  const plain = openBus(broker);
  await expect(plain.bus.waitUntilPublishing(AbortSignal.timeout(1000))).rejects.toThrow(/stopped/);
  await robot.publish('vision.frame.offload', { ts: 3 });
  await new Promise((r) => setTimeout(r, 500));
  expect(plain.received).toEqual([]);
  await plain.bus.close();
  await robot.close();
  await bus.close();
  await broker.stop();
}, 90_000);
