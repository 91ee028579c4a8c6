import { join } from 'node:path';
import { connectWorker } from '../../temporal/connect-worker';
import { connectClient } from '../client/connect-client';
import type { OffloadConfig } from '../config/load-config';
import { clientTelemetryInterceptors } from '../telemetry/client/client-telemetry';
import type { Logger } from '../telemetry/logger';
import type { WorkerObservability } from '../telemetry/worker-observability';
import { robotCapabilities } from './capabilities';
import { startPcHeartbeat } from './pc-heartbeat';
import { RobotBridge } from './robot-bridge';

/** Journal of delivered task ids: `<data dir>/bridge/delivered-<robot>.log`. */
export function ledgerFile(config: Pick<OffloadConfig, 'dataDir' | 'robot'>): string {
  return join(config.dataDir, 'bridge', `delivered-${config.robot.id}.log`);
}

/** What {@link startBridge} runs with. */
export interface StartBridgeOptions {
  config: OffloadConfig;
  log: Logger;
  /** Started first (see `startWorkerObservability`); closed by `stop`. */
  observability: WorkerObservability;
}

/** The robot bridge process: robot requests become runs, results go back to the robot. */
export async function startBridge({ config, log, observability }: StartBridgeOptions): Promise<{ stop(signal: NodeJS.Signals): Promise<void> }> {
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
  return {
    async stop(signal) {
      stopping = true;
      log.info({ signal }, 'stopping: no new requests, finishing deliveries in progress');
      stopHeartbeat?.();
      await bridge.stop();
      await native.close();
      await connection.close();
      await observability.close();
      log.info('stopped');
    },
  };
}
