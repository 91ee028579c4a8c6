import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startPcHeartbeat } from '../../../src/bridge/pc-heartbeat';
import { createLogger } from '../../../src/telemetry/logger';
import { waitUntil } from '../../harness/poll-until';

test("POSTs {base_url, capabilities, timestamp} to the robot's /api/providers/pc-heartbeat, again and again, and none after stop", async () => {
  const beats: Array<{ path: string; body: Record<string, unknown>; at: number }> = [];
  const robot = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.on('data', (d) => (body += d));
    request.on('end', () => {
      beats.push({ path: `${request.method} ${request.url}`, body: JSON.parse(body) as Record<string, unknown>, at: Date.now() });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => robot.listen(0, '127.0.0.1', resolve));
  // Each beat asks for the capabilities as it begins.
  let begun = 0;
  const startedAt = Date.now();
  const stop = startPcHeartbeat({
    robotApiUrl: `http://127.0.0.1:${(robot.address() as AddressInfo).port}/`,
    baseUrl: 'http://192.168.1.20:8000',
    capabilities: {
      get: async () => {
        begun += 1;
        return { version: 'offload/test', vision: { mode: 'pc' } };
      },
    },
    log: createLogger('test', 'silent'),
    intervalMs: 200,
  });
  await waitUntil('three heartbeats reached the robot', () => beats.length >= 3, 10_000);
  stop();
  const begunAtStop = begun;
  // Several intervals: a timer still running would begin another beat meanwhile.
  await new Promise((r) => setTimeout(r, 1000));
  robot.close();
  expect(begun).toBe(begunAtStop);
  expect(beats[0]).toMatchObject({
    path: 'POST /api/providers/pc-heartbeat',
    body: { base_url: 'http://192.168.1.20:8000', capabilities: { version: 'offload/test', vision: { mode: 'pc' } }, timestamp: expect.any(Number) },
  });
  // In seconds, taken as the beat was made: after the start, before the robot had it.
  const timestampMs = (beats[0].body.timestamp as number) * 1000;
  expect(timestampMs).toBeGreaterThanOrEqual(startedAt);
  expect(timestampMs).toBeLessThanOrEqual(beats[0].at + 1);
});

test('a beat begins at once and then every intervalMs, until stopped', () => {
  jest.useFakeTimers();
  try {
    let begun = 0;
    const stop = startPcHeartbeat({
      robotApiUrl: 'http://127.0.0.1:9',
      baseUrl: 'x',
      // A probe that never answers: no beat gets as far as the network.
      capabilities: { get: () => ((begun += 1), new Promise(() => undefined)) },
      log: createLogger('test', 'silent'),
      intervalMs: 200,
    });
    expect(begun).toBe(1);
    jest.advanceTimersByTime(199);
    expect(begun).toBe(1);
    jest.advanceTimersByTime(1);
    expect(begun).toBe(2);
    jest.advanceTimersByTime(400);
    expect(begun).toBe(4);
    stop();
    jest.advanceTimersByTime(1000);
    expect(begun).toBe(4);
  } finally {
    jest.useRealTimers();
  }
});

test('a robot that does not answer is retried, never thrown at the bridge', async () => {
  const stop = startPcHeartbeat({ robotApiUrl: 'http://127.0.0.1:9', baseUrl: 'x', capabilities: { get: async () => ({}) }, log: createLogger('test', 'silent'), intervalMs: 50, timeoutMs: 100 });
  await new Promise((r) => setTimeout(r, 300));
  stop();
});
