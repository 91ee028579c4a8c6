import { cliExitCode, createCli } from '../client/cli';
import { runProcess } from './run-process';

// `offload ...` (bin/offload.js): the command line.
runProcess(
  'offload:',
  async ({ config }) => {
    await createCli(config).parseAsync(process.argv);
  },
  { exitCode: cliExitCode },
);
