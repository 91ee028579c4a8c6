import { mkdtempSync } from 'node:fs';
import { offloadCacheDir } from '../../src/config/cache-dir';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevServer, type DevServer } from '../../temporal/dev-server';
import { defaultModelSources, seedModels } from '../../src/models';

declare global {
  var offloadTestServer: DevServer | undefined;
}

/** One real Temporal dev server (free ports, in-memory) and one seeded model directory for the whole run. */
export default async function globalSetup(): Promise<void> {
  const modelDir = mkdtempSync(join(tmpdir(), 'offload-test-models-'));
  await seedModels({ modelDir, sourceDirs: defaultModelSources(), packageCacheDir: offloadCacheDir() });
  const server = await startDevServer({ uiPort: false, logLevel: 'error' });
  globalThis.offloadTestServer = server;
  process.env.OFFLOAD_TEST_TEMPORAL_ADDRESS = server.address;
  process.env.OFFLOAD_TEST_MODEL_DIR = modelDir;
}
