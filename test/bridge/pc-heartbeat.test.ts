import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startPcHeartbeat } from '../../src/bridge/pc-heartbeat';
import { createLogger } from '../../src/telemetry/logger';

test('POSTs {base_url, capabilities, timestamp} to the robot\'s /api/providers/pc-heartbeat, at its interval', async () => {
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
  const stop = startPcHeartbeat({
    robotApiUrl: `http://127.0.0.1:${(robot.address() as AddressInfo).port}/`,
    baseUrl: 'http://192.168.1.20:8000',
    capabilities: { get: async () => ({ version: 'offload/test', vision: { mode: 'pc' } }) },
    log: createLogger('test', 'silent'),
    intervalMs: 200,
  });
  await new Promise((r) => setTimeout(r, 700));
  stop();
  const count = beats.length;
  await new Promise((r) => setTimeout(r, 400));
  robot.close();
  expect(count).toBeGreaterThanOrEqual(3);
  expect(beats.length).toBe(count);
  expect(beats[0]).toMatchObject({
    path: 'POST /api/providers/pc-heartbeat',
    body: { base_url: 'http://192.168.1.20:8000', capabilities: { version: 'offload/test', vision: { mode: 'pc' } }, timestamp: expect.any(Number) },
  });
  expect(Math.abs((beats[0].body.timestamp as number) * 1000 - beats[0].at)).toBeLessThan(1000);
});

test('a robot that does not answer is retried, never thrown at the bridge', async () => {
  const stop = startPcHeartbeat({ robotApiUrl: 'http://127.0.0.1:9', baseUrl: 'x', capabilities: { get: async () => ({}) }, log: createLogger('test', 'silent'), intervalMs: 50, timeoutMs: 100 });
  await new Promise((r) => setTimeout(r, 300));
  stop();
});
