import type { Command } from 'commander';
import { registerListCommand } from './list';
import { registerStatusCommand } from './status';
import { registerSubmitCommand } from './submit';

/** Every `offload` subcommand; each lives in its own file. */
export function registerCommands(program: Command): void {
  registerSubmitCommand(program);
  registerStatusCommand(program);
  registerListCommand(program);
}
