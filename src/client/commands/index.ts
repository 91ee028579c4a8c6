import type { Command } from 'commander';
import type { OffloadConfig } from '../../config/load-config';
import { registerBenchCommand } from './bench';
import { registerHistoryCommand } from './history';
import { registerListCommand } from './list';
import { registerModelsCommand } from './models';
import { registerReplayCommand } from './replay';
import { registerRerunCommand } from './rerun';
import { registerStatusCommand } from './status';
import { registerSubmitCommand } from './submit';

/** Every `offload` subcommand; each lives in its own file. */
export function registerCommands(program: Command, config: OffloadConfig): void {
  registerSubmitCommand(program, config);
  registerStatusCommand(program, config);
  registerListCommand(program, config);
  registerModelsCommand(program, config);
  registerReplayCommand(program, config);
  registerRerunCommand(program, config);
  registerHistoryCommand(program, config);
  registerBenchCommand(program);
}
