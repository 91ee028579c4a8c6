import { join, resolve } from 'node:path';
import { offloadCacheDir } from '../config/cache-dir';
import { startDevServer, type DevServer } from '../../temporal/dev-server';
import { loadConfig, type OffloadConfig } from '../config/load-config';
import { defaultModelDir, defaultModelSources, findRepoRoot, seedModels } from '../models';
import { createLogger } from '../telemetry/logger';
import { ChildGroup } from './child-group';
import { formatChildLine } from './format-child-line';
import { waitForReady } from './wait-for-ready';

/** Everything `npm start` runs, in start order; stopped in reverse. */
const CHILDREN = [
  { name: 'workflow-worker', script: 'workflow-worker.js', args: [] },
  { name: 'cpu-worker', script: 'inference-worker.js', args: ['--hardware', 'cpu'] },
  { name: 'gpu-worker', script: 'inference-worker.js', args: ['--hardware', 'gpu'] },
  { name: 'bridge', script: '../bridge/main.js', args: [] },
  { name: 'api', script: '../api/server.js', args: [] },
];

async function startTemporal(config: OffloadConfig, log: ReturnType<typeof createLogger>): Promise<DevServer> {
  const dataDir = resolve(findRepoRoot(), config.dataDir ?? 'data');
  log.info({ port: config.devServerPort, uiPort: config.devServerUiPort }, 'starting the Temporal dev server (set TEMPORAL_ADDRESS to use a cluster instead)');
  return startDevServer({
    port: config.devServerPort,
    uiPort: config.devServerUiPort,
    dbFile: join(dataDir, 'temporal.db'),
    namespace: config.namespace,
    detached: true,
    log: (line) => log.debug({ temporal: true }, line),
  });
}

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger('offload', config.logLevel, { destination: { write: (line: string) => console.log(formatChildLine('offload', line.trimEnd())) } });
  const modelDir = config.modelDir ?? defaultModelDir();
  const seeded = await seedModels({ modelDir, sourceDirs: defaultModelSources(), packageCacheDir: offloadCacheDir(), log: (message, fields) => log.info(fields ?? {}, message) });
  log.info({ modelDir, installed: [...seeded.present, ...seeded.copied.map((c) => c.id)], missing: seeded.missing }, 'models ready');

  const server = config.temporalAddress ? undefined : await startTemporal(config, log);
  const address = config.temporalAddress ?? (server as DevServer).address;
  const children = new ChildGroup(log, { ...process.env, TEMPORAL_ADDRESS: address, OFFLOAD_MODEL_DIR: modelDir });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping: draining in-flight tasks, then stopping every process');
    await children.stopAll();
    await server?.stop();
    log.info('all stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  for (const child of CHILDREN) await children.start(child.name, resolve(__dirname, child.script), child.args);
  const apiUrl = `http://127.0.0.1:${config.apiPort}`;
  await waitForReady(`${apiUrl}/readyz`, 300_000, (body) => everyWorkerPolls(body as ReadyBody));
  console.log(banner(config, address, server?.uiUrl, apiUrl));
}

interface ReadyBody {
  workers?: { workflows: number; inference: Record<string, number> };
}

/** Ready only once every worker this supervisor started polls (each loads its models first). */
function everyWorkerPolls(body: ReadyBody): boolean {
  const inference = body.workers?.inference ?? {};
  return (body.workers?.workflows ?? 0) > 0 && (inference.cpu ?? 0) > 0 && (inference.gpu ?? 0) > 0;
}

function banner(config: OffloadConfig, address: string, uiUrl: string | undefined, apiUrl: string): string {
  return [
    '',
    'Offload is running.',
    `  Temporal Web UI  ${uiUrl ?? '(your cluster\'s UI)'}`,
    `  Temporal         ${address} (namespace ${config.namespace})`,
    `  Offload API      ${apiUrl}  (/v1/tasks, /healthz, /readyz, /providers/capabilities)`,
    `  Metrics          ${apiUrl}/metrics`,
    '  Try              npx offload submit vision.detection --file ../shared/fixtures/images/dog.jpg',
    'Ctrl-C drains in-flight tasks and stops everything.',
    '',
  ].join('\n');
}

main().catch((err) => {
  console.error(`offload failed to start: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
