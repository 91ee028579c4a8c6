import { join } from 'node:path';
import { connectWorker } from '../../temporal/connect-worker';
import { connectClient } from '../client/connect-client';
import { hostedRunTelemetry } from '../telemetry/sinks/hosted-run-telemetry';
import type { OffloadConfig } from '../config/load-config';
import { clientTelemetryInterceptors } from '../telemetry/client/client-telemetry';
import type { Logger } from '../telemetry/logger';
import type { WorkerObservability } from '../telemetry/worker-observability';
import { robotCapabilities } from './capabilities';
import { startPcHeartbeat } from './pc-heartbeat';
import { RobotBridge } from './robot-bridge';
import { missingFiles, modelPath } from '../models/install/model-files';
import { SILERO_VAD } from '../models/registry/silero-vad';
import { VoiceActivityDetector } from '../models/voice-activity-detection/voice-activity-detector';

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
  const interceptors = clientTelemetryInterceptors({ metrics: observability.metrics, tracing: observability.tracing !== undefined });
  const native = await connectWorker(config);
  const { offload, close: closeClient } = await connectClient(config, { interceptors, workerConnection: native });
  const hosted = config.fastPath ? hostedRunTelemetry(config, log, observability.metrics, observability.tracing) : undefined;
  const vad = await loadVad(config, log);
  const bridge = new RobotBridge({
    config,
    offload,
    connection: native,
    ...(hosted ? { hostRuns: hosted.hosting } : {}),
    registry: observability.metrics.registry,
    sharedMetrics: observability.metrics,
    identity: observability.identity,
    tracing: observability.tracing !== undefined,
    log,
    ledgerFile: ledgerFile(config),
    vad,
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
      await vad?.close();
      await hosted?.close();
      await native.close();
      await closeClient();
      await observability.close();
      log.info('stopped');
    },
  };
}

/** The Silero VAD the bridge finds the robot's utterances with; undefined (and said) when it is not installed. */
async function loadVad(config: Pick<OffloadConfig, 'modelDir'>, log: Logger): Promise<VoiceActivityDetector | undefined> {
  const dir = modelPath(config.modelDir, SILERO_VAD);
  if ((await missingFiles(dir, SILERO_VAD)).length > 0) {
    log.warn({ modelDir: config.modelDir }, `${SILERO_VAD.id} is not installed: the robot's voice stream cannot be served (npm run setup installs it)`);
    return undefined;
  }
  return VoiceActivityDetector.load(dir, { log: (message, fields) => log.debug(fields ?? {}, message) });
}
