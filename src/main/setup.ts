import { setupModels } from '../models/setup';
import { runProcess } from './run-process';

// `npm run setup`: installs the missing models and prints the state of each.
runProcess('setup failed:', async ({ config }) => {
  const { ok, lines } = await setupModels(config);
  for (const line of lines) console.log(line);
  if (!ok) process.exitCode = 1;
});
