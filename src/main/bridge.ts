import { startBridge } from '../bridge/start-bridge';
import { runProcess } from './run-process';

// `npm run bridge`: the robot bridge (ZeroMQ bus <-> Temporal runs).
runProcess('robot bridge failed:', async ({ config, workerTelemetry, stopOnSignal }) => {
  const bridge = await startBridge({ config, ...(await workerTelemetry('bridge')) });
  stopOnSignal(bridge.stop);
});
