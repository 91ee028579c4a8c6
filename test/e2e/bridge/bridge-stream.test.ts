import { closeTestRuntimes } from '../../harness/test-runtime';
import { BridgeTestEnv } from './bridge-env';

let t: BridgeTestEnv;

beforeAll(async () => {
  t = await BridgeTestEnv.start();
}, 120_000);

afterAll(async () => {
  await t?.close();
  await closeTestRuntimes();
});

test('5 fps of 320x240 frames for 5 s: answered on vision.obstacle.enhanced (boolean present, numeric confidence), none twice, none lost silently', async () => {
  const stats = await t.robot.streamFrames({ fps: 5, durationMs: 5000 });
  console.log(`bridge stream (5 s, 5 fps): sent ${stats.sent}, answered ${stats.answered} (${stats.answeredByModel} by the model), p50 ${stats.p50Ms} ms, p95 ${stats.p95Ms} ms, max ${stats.maxMs} ms`);
  const metas = t.robot.received.filter((m) => m.topic === 'vision.obstacle.enhanced').map((m) => m.payload.meta as { latency_ms: number; processing_time_ms: number; timings: Record<string, number> });
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`medians: bridge receive->publish ${median(metas.map((m) => m.latency_ms))} ms, run ${median(metas.map((m) => m.processing_time_ms))} ms, inference ${median(metas.map((m) => m.timings.inference_ms))} ms, preprocess ${median(metas.map((m) => m.timings.preprocess_ms))} ms`);
  if (stats.answered < stats.sent) console.log(`unanswered frames:\n${(await t.unanswered(stats)).join('\n')}`);
  expect(stats.sent).toBe(25);
  // >= 95% is the acceptance figure, measured by `npm run test:bridge-soak` (30 s); here: results flow, none is lost silently.
  expect(stats.answered / stats.sent).toBeGreaterThanOrEqual(0.5);
  for (const line of await t.unanswered(stats)) expect(line).toMatch(/delivery (superseded|stale)/);
  expect(stats.wellFormed).toBe(stats.answered);
  expect(stats.duplicates).toBe(0);
  const answer = t.robot.received.find((m) => m.topic === 'vision.obstacle.enhanced')!.payload;
  expect(answer).toMatchObject({ present: expect.any(Boolean), confidence: expect.any(Number), distance: expect.any(Number), angle: expect.any(Number), ts: expect.any(Number) });
  expect(answer.meta).toMatchObject({ task_id: expect.stringMatching(new RegExp(`^frame-${t.robotId}-`)), request_ts: expect.any(Number), model: 'yolox-nano' });
  expect(Array.isArray(answer.boxes)).toBe(true);
}, 60_000);
