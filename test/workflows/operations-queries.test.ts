import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { rerunTask } from '../../src/client/rerun';
import { findRepoRoot } from '../../src/models';
import type { TaskResult } from '../../src/shared/task';
import { fixtureBase64 } from '../harness/fixtures';
import { OffloadTestEnv } from '../harness/offload-env';
import { closeTestRuntimes } from '../harness/test-runtime';

/** Every `query:` line of docs/operations.md, in order. */
const QUERIES = readFileSync(resolve(findRepoRoot(), 'docs', 'operations.md'), 'utf8')
  .split('\n')
  .filter((line) => line.startsWith('query: '))
  .map((line) => line.slice('query: '.length));

const robot = `rider-ops-${Date.now().toString(36)}`;
let env: OffloadTestEnv;
const runs: Record<string, TaskResult> = {};

beforeAll(async () => {
  env = await OffloadTestEnv.start({ hardware: ['cpu'] });
  const image = (name: string) => ({ image_base64: fixtureBase64(`images/${name}`) });
  const meta = { robot_id: robot };
  runs.completed = await env.offload.submit({ task_type: 'vision.detection', payload: image('dog_320x240.jpg'), meta }, { policy: { route: ['cpu'] } });
  runs.degraded = await env.offload.submit({ task_type: 'vision.frame', payload: image('person_320x240.jpg'), meta }, { policy: { route: ['gpu', 'cpu'], pickupTimeoutMs: 500 } });
  runs.fallback = await env.offload.submit({ task_type: 'vision.detection', payload: image('bus_320x240.jpg'), meta }, { policy: { route: ['gpu'], deadlineMs: 1500 } });
  runs.invalidAsr = await env.offload.submit({ task_type: 'voice.asr', payload: { audio_base64: Buffer.from('not a wav file at all').toString('base64'), format: 'wav' }, meta }, { policy: { route: ['cpu'] } });
  runs.rerun = (await rerunTask(env.offload, runs.completed.task_id)).rerun;
}, 180_000);

afterAll(async () => {
  await env?.close();
  await closeTestRuntimes();
});

/** The docs/operations.md query with its example values replaced by this test's, limited to this test's runs. */
function scoped(query: string): string {
  const hourAgo = new Date(Date.now() - 3600_000).toISOString();
  const filled = query.replace("'rider-1'", `'${robot}'`).replace("'vision.detection-1234'", `'${runs.completed.task_id}'`).replace(/'2026-01-01T00:00:00Z'/, `'${hourAgo}'`);
  return `(${filled}) AND TaskQueue = '${env.config.queuePrefix}-workflows'`;
}

async function found(query: string, expected: string[]): Promise<string[]> {
  let ids: string[] = [];
  // Visibility lags the runs; 30 s is far more than it takes on any machine.
  for (let attempt = 0; attempt < 120; attempt++) {
    ids = (await env.offload.list({ query: scoped(query), limit: 100 })).map((e) => e.task_id);
    if (expected.every((id) => ids.includes(id))) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  return ids;
}

test('docs/operations.md has its ready-made queries', () => {
  expect(QUERIES.length).toBeGreaterThanOrEqual(10);
});

test('each ready-made query runs and finds the runs it promises', async () => {
  const expectations: [RegExp, () => string[]][] = [
    [/OffloadTaskType = 'voice\.asr' AND OffloadRobot/, () => [runs.invalidAsr.task_id]],
    [/^OffloadOutcome IN \('failed', 'fallback', 'invalid'\) OR/, () => [runs.invalidAsr.task_id, runs.fallback.task_id]],
    [/^OffloadDegraded = true$/, () => [runs.degraded.task_id, runs.fallback.task_id]],
    [/^OffloadOutcome = 'fallback'$/, () => [runs.fallback.task_id]],
    [/stale/, () => []],
    [/ExecutionDuration/, () => [runs.fallback.task_id]],
    [/OffloadHardware = 'cpu' AND OffloadDegraded/, () => [runs.degraded.task_id]],
    [/OffloadTaskType = 'vision\.frame' AND OffloadPriority/, () => [runs.degraded.task_id]],
    [/OffloadRerunOf/, () => [runs.rerun.task_id]],
    [/OffloadModel = 'yolox-nano'/, () => [runs.completed.task_id, runs.degraded.task_id, runs.rerun.task_id]],
  ];
  for (const query of QUERIES) {
    const match = expectations.find(([pattern]) => pattern.test(query));
    expect({ query, known: Boolean(match) }).toEqual({ query, known: true });
    const expected = match![1]();
    const ids = await found(query, expected);
    expect({ query, missing: expected.filter((id) => !ids.includes(id)) }).toEqual({ query, missing: [] });
  }
});

test('`offload list` finds runs by each search attribute', async () => {
  const byAttribute: Record<string, [string, string]> = {
    OffloadTaskType: ["OffloadTaskType = 'voice.asr'", runs.invalidAsr.task_id],
    OffloadRobot: [`OffloadRobot = '${robot}'`, runs.completed.task_id],
    OffloadPriority: ['OffloadPriority = 1', runs.degraded.task_id],
    OffloadOutcome: ["OffloadOutcome = 'invalid'", runs.invalidAsr.task_id],
    OffloadHardware: ["OffloadHardware = 'cpu'", runs.completed.task_id],
    OffloadDegraded: ['OffloadDegraded = true', runs.fallback.task_id],
    OffloadModel: ["OffloadModel = 'yolox-nano'", runs.completed.task_id],
    OffloadRerunOf: [`OffloadRerunOf = '${runs.completed.task_id}'`, runs.rerun.task_id],
  };
  for (const [attribute, [query, id]] of Object.entries(byAttribute)) {
    expect({ attribute, found: (await found(query, [id])).includes(id) }).toEqual({ attribute, found: true });
  }
});
