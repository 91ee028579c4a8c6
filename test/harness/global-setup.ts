import { join } from 'node:path';
import { offloadCacheDir } from '../../src/config/cache-dir';
import { defaultModelSources, seedModels } from '../../src/models';
import { startDevServer, type DevServer } from '../../temporal/dev-server';

declare global {
  var offloadTestServer: DevServer | undefined;
}

/**
 * One real Temporal dev server (free ports, in-memory) for the whole run, and the test model
 * directory (in the cache, outside the repo: installed once, checksums verified at every load).
 */
export default async function globalSetup(): Promise<void> {
  const modelDir = process.env.OFFLOAD_TEST_MODEL_DIR ?? join(offloadCacheDir(), 'test-models');
  const report = await seedModels({ modelDir, sourceDirs: defaultModelSources(), packageCacheDir: offloadCacheDir() });
  if (report.missing.length > 0) console.warn(`models not installed for the tests: ${report.missing.join(', ')}`);
  const server = await startDevServer({ uiPort: false, logLevel: 'error' });
  globalThis.offloadTestServer = server;
  process.env.OFFLOAD_TEST_TEMPORAL_ADDRESS = server.address;
  process.env.OFFLOAD_TEST_MODEL_DIR = modelDir;
}
