import type { Command } from 'commander';
import type { OffloadConfig } from '../../config/load-config';
import { formatResult } from '../cli-format';
import { withClient } from '../cli-support';

export function registerStatusCommand(program: Command, config: OffloadConfig): void {
  program
    .command('status')
    .description('print the state or result of a task')
    .argument('<task-id>')
    .option('--json', 'print JSON')
    .action(async (taskId: string, opts) => {
      const result = await withClient(config, ({ offload }) => offload.status(taskId));
      console.log(opts.json ? JSON.stringify(result, null, 2) : formatResult(result));
    });
}
