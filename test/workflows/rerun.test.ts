import { RerunOfKey } from '../../src/shared/search-attributes';
import { fixtureBase64 } from '../harness/fixtures';
import { OffloadTestEnv } from '../harness/offload-env';
import { runCli } from '../harness/run-cli';
import { testDeadlines } from '../harness/test-deadlines';
import { closeTestRuntimes } from '../harness/test-runtime';

let env: OffloadTestEnv;

beforeAll(async () => {
  env = await OffloadTestEnv.start({ hardware: ['gpu', 'cpu'] });
});

afterAll(async () => {
  await env?.close();
  await closeTestRuntimes();
});

function cli(args: string[]) {
  return runCli(args, { ...process.env, TEMPORAL_ADDRESS: process.env.OFFLOAD_TEST_TEMPORAL_ADDRESS, OFFLOAD_TASK_QUEUE_PREFIX: env.config.queuePrefix, OFFLOAD_DEADLINES_MS: testDeadlines() });
}

test('`offload rerun --json` prints a completed TaskResult of a new run that names the original', async () => {
  const original = await env.offload.submit({ task_type: 'vision.detection', payload: { image_base64: fixtureBase64('images/dog_320x240.jpg') } });
  const run = await cli(['rerun', original.task_id, '--hardware', 'cpu', '--json']);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const rerun = JSON.parse(run.stdout);
  expect(rerun.status).toBe('completed');
  expect(rerun.task_id).not.toBe(original.task_id);
  expect(rerun.meta).toMatchObject({ rerun_of: original.task_id, hardware: 'cpu' });
  const description = await env.client.workflow.getHandle(rerun.task_id).describe();
  expect(description.typedSearchAttributes.get(RerunOfKey)).toBe(original.task_id);
  expect(description.memo).toMatchObject({ rerun_of: original.task_id });
});

test('`--diff` on a detection re-run matches the boxes by IoU', async () => {
  const original = await env.offload.submit({ task_type: 'vision.detection', payload: { image_base64: fixtureBase64('images/bus_320x240.jpg') } });
  const run = await cli(['rerun', original.task_id, '--diff', '--json']);
  expect(run.code).toBe(0);
  const { diff } = JSON.parse(run.stdout);
  expect(diff.boxes.matched.map((m: { label: string }) => m.label)).toContain('bus');
  for (const match of diff.boxes.matched) expect(match.iou).toBeGreaterThan(0.99);
  expect(diff.boxes.only_before).toEqual([]);
  expect(diff.boxes.only_after).toEqual([]);
  expect(diff.latency_ms).toEqual(expect.objectContaining({ before: original.processing_time_ms }));
});

test('a re-run with a model that is not installed says so', async () => {
  const original = await env.offload.submit({ task_type: 'vision.detection', payload: { image_base64: fixtureBase64('images/dog_320x240.jpg') } });
  const run = await cli(['rerun', original.task_id, '--model', 'no-such-model', '--json']);
  expect(run.code).toBe(1);
  expect(JSON.parse(run.stdout).error).toMatch(/model not installed.*no-such-model/);
});
