import { fixtureBase64 } from '../harness/fixtures';
import { OffloadTestEnv } from '../harness/offload-env';
import { closeTestRuntimes } from '../harness/test-runtime';

let env: OffloadTestEnv;

beforeAll(async () => {
  env = await OffloadTestEnv.start({ hardware: ['cpu'] });
});

afterAll(async () => {
  await env?.close();
  await closeTestRuntimes();
});

test('the same task id submitted twice (at once and again later) yields one execution', async () => {
  const taskId = `dedupe-${Date.now()}`;
  const request = { task_id: taskId, task_type: 'vision.detection', payload: { image_base64: fixtureBase64('images/dog_320x240.jpg') } };
  const [first, second] = await Promise.all([env.offload.submit(request), env.offload.submit(request)]);
  const third = await env.offload.submit(request);
  for (const result of [first, second, third]) expect(result.task_id).toBe(taskId);
  expect(second.meta.run_id).toBe(first.meta.run_id);
  expect(third.meta.run_id).toBe(first.meta.run_id);

  const runs = [];
  for await (const run of env.client.workflow.list({ query: `WorkflowId = '${taskId}'` })) runs.push(run.runId);
  expect(runs).toEqual([first.meta.run_id]);
});
