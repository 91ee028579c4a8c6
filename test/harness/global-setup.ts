import { join } from 'node:path';
import { loadConfig } from '../../src/config/load-config';
import { seedModels } from '../../src/models';
import { startDevServer, type DevServer } from '../../temporal/dev-server';
import { resolveTemporalCli } from '../../temporal/install-cli';

declare global {
  var offloadTestServer: DevServer | undefined;
}

/**
 * One real Temporal dev server (free ports, in-memory) for the whole run, and the test model
 * directory (in the cache, outside the repo: installed once, checksums verified at every load).
 */
export default async function globalSetup(): Promise<void> {
  const config = loadConfig(process.env);
  // An empty OFFLOAD_TEST_MODEL_DIR is a mistake, not "here": models would be installed into the working directory.
  if (process.env.OFFLOAD_TEST_MODEL_DIR === '') throw new Error('OFFLOAD_TEST_MODEL_DIR is empty: unset it (the default is <cache>/test-models) or name a directory');
  const modelDir = process.env.OFFLOAD_TEST_MODEL_DIR ?? join(config.cacheDir, 'test-models');
  const report = await seedModels({ modelDir, sourceDirs: config.modelSources, packageCacheDir: config.cacheDir });
  if (report.missing.length > 0) console.warn(`models not installed for the tests: ${report.missing.join(', ')}`);
  const server = await startDevServer({ cliPath: await resolveTemporalCli(config), uiPort: false, logLevel: 'error' });
  globalThis.offloadTestServer = server;
  process.env.OFFLOAD_TEST_TEMPORAL_ADDRESS = server.address;
  process.env.OFFLOAD_TEST_MODEL_DIR = modelDir;
}
