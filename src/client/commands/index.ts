import type { Command } from 'commander';
import { registerBenchCommand } from './bench';
import { registerHistoryCommand } from './history';
import { registerListCommand } from './list';
import { registerModelsCommand } from './models';
import { registerReplayCommand } from './replay';
import { registerRerunCommand } from './rerun';
import { registerStatusCommand } from './status';
import { registerSubmitCommand } from './submit';

/** Every `offload` subcommand; each lives in its own file. */
export function registerCommands(program: Command): void {
  registerSubmitCommand(program);
  registerStatusCommand(program);
  registerListCommand(program);
  registerModelsCommand(program);
  registerReplayCommand(program);
  registerRerunCommand(program);
  registerHistoryCommand(program);
  registerBenchCommand(program);
}
