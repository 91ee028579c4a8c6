import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fetchHistory, readHistoryFile, writeHistoryFile, type NamedHistory } from '../../src/client/history-source';
import { replayHistories } from '../../src/client/replay';
import { findRepoRoot } from '../../src/models';
import { HISTORY_CASES } from '../harness/history-cases';
import { OffloadTestEnv } from '../harness/offload-env';
import { runCli } from '../harness/run-cli';
import { closeTestRuntimes } from '../harness/test-runtime';

const repo = findRepoRoot();
const changedWorkflows = resolve(repo, 'dist/test/fixtures/changed-workflows/index.js');
const patchedWorkflows = resolve(repo, 'dist/test/fixtures/patched-workflows/index.js');
let env: OffloadTestEnv;
const fresh: NamedHistory[] = [];

beforeAll(async () => {
  env = await OffloadTestEnv.start({ hardware: ['cpu'] });
  for (const run of Object.values(HISTORY_CASES)) {
    const result = await run(env.offload);
    fresh.push(await fetchHistory(env.client, result.task_id));
  }
}, 180_000);

afterAll(async () => {
  await env?.close();
  await closeTestRuntimes();
});

test('every saved history in test/histories replays with the current workflow code', async () => {
  const dir = resolve(repo, 'test/histories');
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  expect(files.length).toBeGreaterThanOrEqual(4);
  const outcomes = await replayHistories(await Promise.all(files.map((f) => readHistoryFile(join(dir, f)))));
  expect(outcomes.filter((o) => !o.ok)).toEqual([]);
  expect(outcomes).toHaveLength(files.length);
});

test('fresh runs of every ladder path replay with the current code', async () => {
  const outcomes = await replayHistories(fresh);
  expect(outcomes.map((o) => o.ok)).toEqual(fresh.map(() => true));
});

test('a deliberately changed workflow fails replay with a report of what diverged', async () => {
  const outcomes = await replayHistories(fresh, { workflowsPath: changedWorkflows });
  const diverged = outcomes.filter((o) => !o.ok);
  expect(diverged.length).toBe(fresh.length);
  for (const outcome of diverged) {
    expect(outcome.problem).toMatch(/[Nn]ondeterminism/);
    expect(outcome.recordedCommands?.some((c) => /ActivityTaskScheduled runDetectionModel/.test(c))).toBe(true);
  }
});

test('the same change behind patched() replays the old histories', async () => {
  const outcomes = await replayHistories(fresh, { workflowsPath: patchedWorkflows });
  expect(outcomes.every((o) => o.ok)).toBe(true);
});

test('`offload replay --file` exits non-zero and names the divergence; `history export` writes the file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'offload-replay-'));
  const file = join(dir, 'detection.json');
  const cliEnv = { ...process.env, TEMPORAL_ADDRESS: process.env.OFFLOAD_TEST_TEMPORAL_ADDRESS };
  const cli = (args: string[]) => runCli(args, cliEnv);
  const exported = await cli(['history', 'export', fresh[0].workflowId, file]);
  expect(exported.stderr).toBe('');
  expect(exported.code).toBe(0);
  await writeHistoryFile(join(dir, 'copy.json'), (await readHistoryFile(file)).history);

  const same = await cli(['replay', '--file', file]);
  expect(same.code).toBe(0);
  expect(same.stdout).toContain('1 of 1 histories replay');
  const changed = await cli(['replay', '--file', file, '--workflows', changedWorkflows]);
  expect(changed.code).toBe(1);
  expect(changed.stdout).toContain('DIVERGED');
  expect(changed.stdout).toMatch(/ActivityTaskScheduled runDetectionModel on test-[0-9a-f]+-cpu/);
  const byId = await cli(['replay', fresh[0].workflowId]);
  expect(byId.code).toBe(0);
});
