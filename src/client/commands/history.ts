import type { Command } from 'commander';
import type { OffloadConfig } from '../../config/load-config';
import { fetchHistory, writeHistoryFile } from '../history-source';
import { withClient } from '../cli-support';

export function registerHistoryCommand(program: Command, config: OffloadConfig): void {
  const history = program.command('history').description('workflow histories');
  history
    .command('export')
    .description('write a run\'s event history to a JSON file (for `offload replay --file` and test/histories)')
    .argument('<workflow-id>')
    .argument('<file>')
    .option('--run-id <id>', 'a specific run (default: the latest)')
    .action(async (workflowId: string, file: string, opts) => {
      await withClient(config, async ({ offload }) => {
        const { history: events } = await fetchHistory(offload.temporal, workflowId, opts.runId);
        await writeHistoryFile(file, events);
        console.log(`wrote ${events.events?.length ?? 0} events of ${workflowId} to ${file}`);
      });
    });
}
