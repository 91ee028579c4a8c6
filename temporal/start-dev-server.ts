import { join, resolve } from 'node:path';
import { startDevServer } from './dev-server';

/** Repository root (this file runs from `dist/temporal/`). */
const REPO_ROOT = resolve(__dirname, '..', '..');

function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${name} must be a port number (1-65535), got ${JSON.stringify(raw)}`);
  return port;
}

/**
 * Starts the persisted dev server for local use: gRPC on `OFFLOAD_TEMPORAL_PORT` (7233), the Web
 * UI on `OFFLOAD_TEMPORAL_UI_PORT` (8233), state in `${OFFLOAD_DATA_DIR:-data}/temporal.db`.
 */
async function main(): Promise<void> {
  const dataDir = resolve(REPO_ROOT, process.env.OFFLOAD_DATA_DIR || 'data');
  let stopping = false;
  const server = await startDevServer({
    port: portFromEnv('OFFLOAD_TEMPORAL_PORT', 7233),
    uiPort: portFromEnv('OFFLOAD_TEMPORAL_UI_PORT', 8233),
    dbFile: join(dataDir, 'temporal.db'),
    namespace: process.env.TEMPORAL_NAMESPACE || 'default',
    // The server's own shutdown chatter (connection refused, poll failures) is noise.
    log: (msg) => {
      if (!stopping) console.log(msg);
    },
  });
  console.log(`Temporal dev server: ${server.address} (namespace ${server.namespace}, pid ${server.pid})`);
  console.log(`Temporal Web UI:     ${server.uiUrl ?? '(headless)'}`);
  console.log(`State:               ${join(dataDir, 'temporal.db')}`);
  console.log('Ctrl-C to stop.');

  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping the Temporal dev server...`);
    server.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  server.exited.then(() => {
    if (stopping) return;
    console.error('The Temporal dev server exited unexpectedly; its output is above.');
    process.exit(1);
  }, () => undefined);
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
