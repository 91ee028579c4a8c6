import { loadConfig } from '../src/config/load-config';
import { bridgeQueue } from '../src/shared/queues';
import { supervisedChildEnv } from '../src/workers/supervised-child-env';
import { BridgeProcess } from '../test/harness/bridge-process';
import { RobotBroker } from '../test/harness/robot-broker';
import type { OffloadForRobot } from './npm-start-for-robot';

/** How long a bridge may take to drain and exit on SIGTERM before it is killed. */
const STOP_TIMEOUT_MS = 30_000;

export interface ExtraBridge {
  robotId: string;
  /** The robot's own bus. */
  broker: RobotBroker;
  bridge: BridgeProcess;
  stop(): Promise<void>;
}

/**
 * Another robot beside npm start's: its own broker, and its own bridge process
 * (`node dist/src/main/bridge.js`) with the settings npm start gives its bridge, this robot's id
 * and bus, and its own delivery queue. Fails with the bridge's output when it does not come up.
 */
export async function startExtraBridge(offload: OffloadForRobot, robotId: string): Promise<ExtraBridge> {
  const config = loadConfig(offload.env);
  const broker = await RobotBroker.start();
  const env = {
    ...supervisedChildEnv(config, `127.0.0.1:${offload.ports.temporal}`),
    OFFLOAD_ROBOT_ID: robotId,
    OFFLOAD_ROBOT_HOST: '127.0.0.1',
    OFFLOAD_ROBOT_PUB_PORT: String(broker.xsubPort),
    OFFLOAD_ROBOT_SUB_PORT: String(broker.xpubPort),
    OFFLOAD_BRIDGE_TASK_QUEUE: `${bridgeQueue(config.queuePrefix)}-${robotId}`,
    // BridgeProcess waits for the bridge's "robot bus up" line
    OFFLOAD_LOG_LEVEL: 'info',
    OFFLOAD_LOG_FORMAT: 'json',
  };
  let bridge: BridgeProcess;
  try {
    bridge = await BridgeProcess.start(env);
  } catch (err) {
    await broker.stop();
    throw new Error(`the bridge of robot ${robotId} did not start: ${err instanceof Error ? err.message : String(err)}`);
  }
  return {
    robotId,
    broker,
    bridge,
    async stop() {
      const killer = setTimeout(() => void bridge.kill(), STOP_TIMEOUT_MS);
      await bridge.stop();
      clearTimeout(killer);
      await broker.stop();
    },
  };
}
