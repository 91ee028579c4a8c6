import { serveLocalDevServer } from '../../temporal/start-dev-server';
import { runProcess } from './run-process';

// `npm run temporal`: the persisted Temporal dev server and its Web UI.
runProcess('', async ({ config, stopOnSignal }) => {
  const server = await serveLocalDevServer(config);
  stopOnSignal(server.stop);
  await server.crashed;
});
