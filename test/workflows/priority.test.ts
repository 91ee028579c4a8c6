import { Context } from '@temporalio/activity';
import type { ModelRuntime } from '../../src/models';
import { fixtureBase64 } from '../harness/fixtures';
import { OffloadTestEnv } from '../harness/offload-env';
import { closeTestRuntimes, testRuntime } from '../harness/test-runtime';

let env: OffloadTestEnv;

beforeAll(async () => {
  env = await OffloadTestEnv.start({ hardware: [] });
});

afterAll(async () => {
  await env?.close();
  await closeTestRuntimes();
});

/** Wraps the real runtime to record the order in which tasks reach the model. */
function recordingRuntime(inner: ModelRuntime, order: string[]): ModelRuntime {
  return {
    ...inner,
    detect: (image) => {
      order.push(Context.current().info.workflowExecution?.workflowId ?? 'unknown');
      return inner.detect(image);
    },
  };
}

async function waitForPendingActivity(taskId: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const description = await env.client.workflow.getHandle(taskId).describe();
    if ((description.raw.pendingActivities ?? []).length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`task ${taskId} never scheduled its activity`);
}

test('a priority-1 task overtakes a backlog of 50 priority-9 tasks on a one-slot worker', async () => {
  const image = fixtureBase64('images/person_320x240.jpg');
  const policy = { route: ['cpu' as const], pickupTimeoutMs: 300_000, deadlineMs: 300_000 };
  const run = `${Date.now()}`;
  const backlog = Array.from({ length: 50 }, (_, i) => `backlog-${run}-${i}`);
  for (const taskId of backlog) {
    await env.offload.submit({ task_id: taskId, task_type: 'vision.detection', payload: { image_base64: image }, priority: 9 }, { wait: false, policy });
  }
  for (const taskId of backlog) await waitForPendingActivity(taskId);
  const urgent = `urgent-${run}`;
  await env.offload.submit({ task_id: urgent, task_type: 'vision.detection', payload: { image_base64: image }, priority: 1 }, { wait: false, policy });
  await waitForPendingActivity(urgent);

  const order: string[] = [];
  await env.startInferenceWorker('cpu', { slots: 1, runtime: recordingRuntime(await testRuntime('cpu'), order) });
  const results = await Promise.all([...backlog, urgent].map((id) => env.offload.result(id)));

  expect(results.every((r) => r.status === 'completed')).toBe(true);
  expect(order).toHaveLength(51);
  const urgentPosition = order.indexOf(urgent);
  console.log(`priority-1 task reached the model at position ${urgentPosition + 1} of 51`);
  expect(urgentPosition).toBeGreaterThanOrEqual(0);
  expect(urgentPosition).toBeLessThan(50);
  const lastBacklogPosition = Math.max(...backlog.map((id) => order.indexOf(id)));
  expect(urgentPosition).toBeLessThan(lastBacklogPosition);
});
