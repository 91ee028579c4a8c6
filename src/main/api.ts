import { startApi } from '../api/start-api';
import { runProcess } from './run-process';

// `npm run api`: the HTTP API (tasks, health, readiness, metrics, the robot's provider endpoints).
runProcess('API failed:', async ({ config, logger, tracing, stopOnSignal }) => {
  const api = await startApi({ config, log: logger('api'), tracing: tracing('api') });
  stopOnSignal(api.stop);
});
