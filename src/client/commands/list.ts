import type { Command } from 'commander';
import type { OffloadConfig } from '../../config/load-config';
import { formatList } from '../cli-format';
import { positiveIntArg, withClient } from '../cli-support';

export function registerListCommand(program: Command, config: OffloadConfig): void {
  program
    .command('list')
    .description('list recent tasks (Temporal visibility)')
    .option('--failed', 'only tasks without a result: invalid, handed back to the robot, or failed')
    .option('--type <task-type>', 'only this task type')
    .option('--robot <id>', 'only this robot')
    .option('--query <visibility-query>', 'an extra Temporal visibility query')
    .option('--limit <n>', 'at most this many (default 100)', positiveIntArg)
    .option('--json', 'print JSON')
    .action(async (opts) => {
      const entries = await withClient(config, ({ offload }) =>
        offload.list({ failed: opts.failed, taskType: opts.type, robot: opts.robot, query: opts.query, limit: opts.limit }),
      );
      console.log(opts.json ? JSON.stringify(entries, null, 2) : formatList(entries));
    });
}
