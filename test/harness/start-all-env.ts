import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from '../../temporal/free-port';

export interface StartAllPorts {
  temporal: number;
  ui: number;
  api: number;
}

/**
 * Free ports and the environment for `dist/src/main/start-all.js` (`npm start`) with its own
 * dev server, UI and API there, a fresh data directory (the caller removes it), and `extra` on top; no TEMPORAL_ADDRESS,
 * so it starts its own server.
 */
export async function startAllEnv(extra: NodeJS.ProcessEnv = {}): Promise<{ ports: StartAllPorts; env: NodeJS.ProcessEnv; dataDir: string }> {
  const ports = { temporal: await findFreePort(), ui: await findFreePort(), api: await findFreePort() };
  const dataDir = mkdtempSync(join(tmpdir(), 'offload-start-all-data-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    OFFLOAD_TEMPORAL_PORT: String(ports.temporal),
    OFFLOAD_TEMPORAL_UI_PORT: String(ports.ui),
    OFFLOAD_API_PORT: String(ports.api),
    OFFLOAD_API_HOST: '127.0.0.1',
    OFFLOAD_DATA_DIR: dataDir,
    ...extra,
  };
  delete env.TEMPORAL_ADDRESS;
  return { ports, env, dataDir };
}
