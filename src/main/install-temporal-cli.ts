import { resolveTemporalCli } from '../../temporal/install-cli';
import { runProcess } from './run-process';

// Before the tests: finds the Temporal CLI or builds the pinned one, and prints its path.
runProcess('', async ({ config }) => {
  process.stdout.write(`${await resolveTemporalCli(config)}\n`);
});
