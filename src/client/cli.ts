import { Command, InvalidArgumentError } from 'commander';
import type { OffloadConfig } from '../config/load-config';
import { InvalidTaskError } from '../shared/errors';
import { EXIT_BAD_INPUT, EXIT_TASK_FAILED } from './cli-support';
import { registerCommands } from './commands';

/** The `offload` command line with every subcommand. */
export function createCli(config: OffloadConfig): Command {
  const program = new Command('offload').description('Offload: durable AI tasks for the Rider-PI robot, on Temporal').showHelpAfterError();
  registerCommands(program, config);
  return program;
}

/** Exit code of a failed command: 2 for bad input, 1 for anything else. */
export function cliExitCode(err: unknown): number {
  return err instanceof InvalidTaskError || err instanceof InvalidArgumentError ? EXIT_BAD_INPUT : EXIT_TASK_FAILED;
}
