import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fetchHistory, writeHistoryFile } from '../../src/client/history-source';
import { loadConfig } from '../../src/config/load-config';
import { findRepoRoot, seedModels } from '../../src/models';
import { startDevServer } from '../../temporal/dev-server';
import { resolveTemporalCli } from '../../temporal/install-cli';
import { BRIDGE_HISTORY_CASES, HISTORY_CASES } from './history-cases';

/**
 * `npm run histories:record [-- <case>...]`: runs HISTORY_CASES (or the named ones) on a fresh dev server and
 * saves test/histories/<version>-<case>.json. Name a new case alone to record it with the code before a change.
 */
async function main(): Promise<void> {
  const repo = findRepoRoot();
  const version = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).version as string;
  const modelDir = mkdtempSync(join(tmpdir(), 'offload-record-models-'));
  const config = loadConfig(process.env);
  await seedModels({ modelDir, sourceDirs: config.modelSources, packageCacheDir: config.cacheDir });
  const server = await startDevServer({ cliPath: await resolveTemporalCli(config), uiPort: false, logLevel: 'error' });
  process.env.OFFLOAD_TEST_TEMPORAL_ADDRESS = server.address;
  process.env.OFFLOAD_TEST_MODEL_DIR = modelDir;
  const { OffloadTestEnv } = await import('./offload-env');
  const { closeTestRuntimes } = await import('./test-runtime');
  const env = await OffloadTestEnv.start({ hardware: ['cpu'] });
  const dir = resolve(repo, 'test', 'histories');
  mkdirSync(dir, { recursive: true });
  try {
    const only = process.argv.slice(2);
    const unknown = only.filter((name) => !(name in HISTORY_CASES) && !(name in BRIDGE_HISTORY_CASES));
    if (unknown.length) throw new Error(`no history case named ${unknown.join(', ')} (cases: ${[...Object.keys(HISTORY_CASES), ...Object.keys(BRIDGE_HISTORY_CASES)].join(', ')})`);
    for (const [name, run] of Object.entries(HISTORY_CASES).filter(([name]) => only.length === 0 || only.includes(name))) {
      const result = await run(env.offload);
      const file = join(dir, `${version}-${name}.json`);
      await writeHistoryFile(file, (await fetchHistory(env.client, result.task_id)).history);
      console.log(`${name}: ${result.status}${result.error ? ` (${result.error.slice(0, 80)})` : ''} -> ${file}`);
    }
    const { BridgeTestEnv } = await import('./bridge-env');
    for (const [name, { start, run }] of Object.entries(BRIDGE_HISTORY_CASES).filter(([name]) => only.length === 0 || only.includes(name))) {
      const bridge = await BridgeTestEnv.start(start);
      try {
        const workflowId = await run(bridge);
        await bridge.env.client.workflow.getHandle(workflowId).result();
        const file = join(dir, `${version}-${name}.json`);
        await writeHistoryFile(file, (await fetchHistory(bridge.env.client, workflowId)).history);
        console.log(`${name} -> ${file}`);
      } finally {
        await bridge.close();
      }
    }
  } finally {
    await env.close();
    await closeTestRuntimes();
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
