import type { Command } from 'commander';
import { formatResult } from '../cli-format';
import { withClient } from '../cli-support';

export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description('print the state or result of a task')
    .argument('<task-id>')
    .option('--json', 'print JSON')
    .action(async (taskId: string, opts) => {
      const result = await withClient(({ offload }) => offload.status(taskId));
      console.log(opts.json ? JSON.stringify(result, null, 2) : formatResult(result));
    });
}
