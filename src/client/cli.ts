import { Command, InvalidArgumentError } from 'commander';
import { InvalidTaskError } from '../shared/errors';
import { EXIT_BAD_INPUT, EXIT_TASK_FAILED } from './cli-support';
import { registerCommands } from './commands';

const program = new Command('offload').description('Offload: durable AI tasks for the Rider-PI robot, on Temporal').showHelpAfterError();
registerCommands(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  console.error(`offload: ${message}`);
  process.exitCode = err instanceof InvalidTaskError || err instanceof InvalidArgumentError ? EXIT_BAD_INPUT : EXIT_TASK_FAILED;
});
