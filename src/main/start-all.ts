import { startAll } from '../workers/start-all';
import { runProcess } from './run-process';

// `npm start`: models, the Temporal dev server, the workers, the bridge and the API, supervised.
runProcess('offload failed to start:', ({ config, stopOnSignal }) => startAll(config, stopOnSignal));
