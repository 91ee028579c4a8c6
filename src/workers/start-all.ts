import { resolve } from 'node:path';
import type { DevServer } from '../../temporal/dev-server';
import { startLocalDevServer } from '../../temporal/start-dev-server';
import type { OffloadConfig } from '../config/load-config';
import { seedModels } from '../models';
import { createLogger, type Logger } from '../telemetry/logger';
import { ChildGroup } from './child-group';
import { supervisedChildEnv } from './supervised-child-env';
import { formatChildLine } from './format-child-line';
import { waitForReady } from './wait-for-ready';

/** Everything `npm start` runs (their mains in src/main), in start order; stopped in reverse. */
const CHILDREN = [
  { name: 'workflow-worker', main: 'workflow-worker', args: [] },
  { name: 'cpu-worker', main: 'inference-worker', args: ['--hardware', 'cpu'] },
  { name: 'gpu-worker', main: 'inference-worker', args: ['--hardware', 'gpu'] },
  { name: 'bridge', main: 'bridge', args: [] },
  { name: 'api', main: 'api', args: [] },
];

async function startTemporal(config: OffloadConfig, log: Logger): Promise<DevServer> {
  log.info({ port: config.devServer.port, uiPort: config.devServer.uiPort }, 'starting the Temporal dev server (set TEMPORAL_ADDRESS to use a cluster instead)');
  return startLocalDevServer(config, { detached: true, log: (line) => log.debug({ temporal: true }, line) });
}

/**
 * `npm start`: seeds the models, starts the dev server unless TEMPORAL_ADDRESS names one, then every
 * process in {@link CHILDREN}, and resolves once all of them are ready. `onStop` receives the stop
 * (drain, then stop every process) as soon as there is something to stop.
 */
export async function startAll(config: OffloadConfig, onStop: (stop: (signal: NodeJS.Signals) => Promise<void>) => void): Promise<void> {
  const print = (name: string, line: string) => console.log(formatChildLine(name, line, config.logFormat));
  const log = createLogger('offload', config.logLevel, { destination: { write: (line: string) => print('offload', line.trimEnd()) } });
  const { modelDir } = config;
  const seeded = await seedModels({ modelDir, sourceDirs: config.modelSources, packageCacheDir: config.cacheDir, log: (message, fields) => log.info(fields ?? {}, message) });
  log.info({ modelDir, installed: [...seeded.present, ...seeded.copied.map((c) => c.id)], missing: seeded.missing }, 'models ready');

  const server = config.temporalAddress ? undefined : await startTemporal(config, log);
  const address = config.temporalAddress ?? (server as DevServer).address;
  const children = new ChildGroup(log, supervisedChildEnv(config, address), print);
  onStop(async (signal) => {
    log.info({ signal }, 'stopping: draining in-flight tasks, then stopping every process');
    await children.stopAll();
    await server?.stop();
    log.info('all stopped');
  });

  for (const child of CHILDREN) await children.start(child.name, resolve(__dirname, '..', 'main', `${child.main}.js`), child.args);
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
