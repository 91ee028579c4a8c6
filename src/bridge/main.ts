import { resolve } from 'node:path';
import { robotCapabilities } from '../api/provider-routes';
import { connectClient } from '../client/connect-client';
import { loadConfig, type OffloadConfig } from '../config/load-config';
import { findRepoRoot } from '../models/model-dirs';
import { createLogger } from '../telemetry/logger';
import { connectWorker } from '../workers/connect-worker';
import { clientTelemetryInterceptors } from '../workers/interceptors/client-telemetry';
import { startWorkerObservability } from '../workers/worker-observability';
import { startPcHeartbeat } from './pc-heartbeat';
import { RobotBridge } from './robot-bridge';

/** Journal of delivered task ids: `<data dir>/bridge/delivered-<robot>.log`. */
export function ledgerFile(config: Pick<OffloadConfig, 'dataDir' | 'robot'>): string {
  return resolve(findRepoRoot(), config.dataDir ?? 'data', 'bridge', `delivered-${config.robot.id}.log`);
}

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger('bridge', config.logLevel, { logPayloads: config.telemetry.logPayloads });
  const observability = await startWorkerObservability('bridge', config, log);
  const { offload, connection } = await connectClient(config, {
    interceptors: clientTelemetryInterceptors({ metrics: observability.metrics, tracing: observability.tracing !== undefined }),
  });
  const native = await connectWorker(config);
  const bridge = new RobotBridge({
    config,
    offload,
    connection: native,
    registry: observability.metrics.registry,
    sharedMetrics: observability.metrics,
    identity: observability.identity,
    tracing: observability.tracing !== undefined,
    log,
    ledgerFile: ledgerFile(config),
  });
  const stopHeartbeat = config.robot.apiUrl
    ? startPcHeartbeat({ robotApiUrl: config.robot.apiUrl, baseUrl: config.bridge.publicUrl, capabilities: robotCapabilities(offload.temporal, config), log })
    : undefined;
  let stopping = false;
  bridge.ready.catch((err: unknown) => {
    if (!stopping) log.error({ err: err instanceof Error ? err.message : String(err) }, 'result delivery could not start');
  });
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping: no new requests, finishing deliveries in progress');
    stopHeartbeat?.();
    await bridge.stop();
    await native.close();
    await connection.close();
    await observability.close();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', (s) => void stop(s));
  process.on('SIGINT', (s) => void stop(s));
}

if (require.main === module) {
  main().catch((err) => {
    console.error(`robot bridge failed: ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  });
}
