import type { Command } from 'commander';
import type { OffloadConfig } from '../../config/load-config';
import { resolve } from 'node:path';
import { fetchHistory, queryHistories, readHistoryFile, type NamedHistory } from '../history-source';
import { formatReplay, replayHistories } from '../replay';
import { EXIT_TASK_FAILED, withClient } from '../cli-support';

export function registerReplayCommand(program: Command, config: OffloadConfig): void {
  program
    .command('replay')
    .description('replay recorded runs against the current workflow code; non-zero exit when any diverges')
    .argument('[workflow-id]', 'a run on the server')
    .option('--query <visibility-query>', 'every run this Temporal visibility query finds')
    .option('--file <history.json...>', 'histories exported by `offload history export` or the Temporal UI')
    .option('--workflows <path>', 'workflow code to check instead of Offload\'s own (a compiled index.js)')
    .option('--json', 'print JSON')
    .action(async (workflowId: string | undefined, opts) => {
      if ([workflowId, opts.query, opts.file].filter(Boolean).length !== 1) throw new Error('give exactly one of <workflow-id>, --query or --file');
      const workflowsPath = opts.workflows ? resolve(opts.workflows) : undefined;
      const outcomes = opts.file
        ? await replayHistories(await Promise.all((opts.file as string[]).map(readHistoryFile)), { workflowsPath })
        : await withClient(config, async ({ offload }) => {
            const histories: AsyncIterable<NamedHistory> | NamedHistory[] = workflowId
              ? [await fetchHistory(offload.temporal, workflowId)]
              : queryHistories(offload.temporal, opts.query);
            return replayHistories(histories, { workflowsPath });
          });
      console.log(opts.json ? JSON.stringify(outcomes, null, 2) : formatReplay(outcomes));
      if (outcomes.length === 0) throw new Error('no history to replay');
      if (outcomes.some((o) => !o.ok)) process.exitCode = EXIT_TASK_FAILED;
    });
}
