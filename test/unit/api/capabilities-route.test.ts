import Fastify, { type FastifyInstance } from 'fastify';
import { registerProviderRoutes } from '../../../src/api/provider-routes';
import { createCapabilities } from '../../../src/bridge/capabilities';
import { DEFAULT_ROUTES } from '../../../src/config/defaults';
import { MODEL_MANIFESTS } from '../../../src/models/registry/manifests';
import { RobotWatchdog } from '../../harness/robot-watchdog';

const yolox = MODEL_MANIFESTS.filter((m) => m.id === 'yolox-nano');
const workers = { gpu: 0, cpu: 0 };
let app: FastifyInstance;
let url: string;

beforeAll(async () => {
  app = Fastify();
  const capabilities = createCapabilities({ workers: { liveWorkers: async () => ({ ...workers }) }, installed: async () => yolox, routes: DEFAULT_ROUTES, version: 'offload/test', cacheMs: 0 });
  registerProviderRoutes(app, { offload: { submit: async () => Promise.reject(new Error('not used here')) }, capabilities });
  app.get('/hang/providers/capabilities', () => new Promise(() => undefined));
  await app.listen({ host: '127.0.0.1', port: 0 });
  url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
});

afterAll(() => app.close());

beforeEach(() => {
  workers.cpu = 0;
});

test('serving nothing: 503 with the same body, at the root and under /api; serving a domain: 200', async () => {
  for (const prefix of ['', '/api']) {
    const none = await fetch(`${url}${prefix}/providers/capabilities`);
    expect(none.status).toBe(503);
    expect(await none.json()).toMatchObject({ version: 'offload/test', vision: { mode: 'local', reason: expect.stringMatching(/no live gpu or cpu worker/) }, voice: { mode: 'local' }, text: { mode: 'local' } });
  }
  workers.cpu = 1;
  const some = await fetch(`${url}/providers/capabilities`);
  expect(some.status).toBe(200);
  expect(await some.json()).toMatchObject({ vision: { mode: 'pc' }, voice: { mode: 'local' } });
});

test('the robot\'s watchdog switches to local after exactly 3 consecutive failed polls; a served poll resets the count', async () => {
  const watchdog = new RobotWatchdog(url);
  await watchdog.poll();
  await watchdog.poll();
  workers.cpu = 1;
  await watchdog.poll();
  workers.cpu = 0;
  const polls = await watchdog.run(10, (p) => p.mode === 'local', 10);
  expect(watchdog.polls.map((p) => [p.status, p.failures, p.mode])).toEqual([
    [503, 1, 'pc'],
    [503, 2, 'pc'],
    [200, 0, 'pc'],
    [503, 1, 'pc'],
    [503, 2, 'pc'],
    [503, 3, 'local'],
  ]);
  expect(polls).toHaveLength(3);
  expect(watchdog.version).toBe('offload/test');
});

test('a poll that times out counts as a failure like an HTTP error', async () => {
  // The route never answers: only the watchdog's own timeout ends a poll.
  const watchdog = new RobotWatchdog(`${url}/hang`, { timeoutMs: 50 });
  const polls = await watchdog.run(10, (p) => p.mode === 'local', 10);
  expect(polls.map((p) => [p.status, p.failures, p.mode])).toEqual([
    [undefined, 1, 'pc'],
    [undefined, 2, 'pc'],
    [undefined, 3, 'local'],
  ]);
  expect(polls.every((p) => p.error !== undefined)).toBe(true);
});
