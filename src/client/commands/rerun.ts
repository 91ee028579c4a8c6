import type { Command } from 'commander';
import type { OffloadConfig } from '../../config/load-config';
import { InvalidArgumentError } from 'commander';
import { HARDWARE_CLASSES, type Hardware } from '../../shared/task-types';
import { formatResult } from '../cli-format';
import { diffResults } from '../result-diff';
import { rerunTask, type Rerun } from '../rerun';
import { positiveIntArg, withClient } from '../cli-support';

function hardwareArg(value: string): Hardware {
  if (!(HARDWARE_CLASSES as readonly string[]).includes(value)) throw new InvalidArgumentError(`hardware must be one of ${HARDWARE_CLASSES.join(', ')}`);
  return value as Hardware;
}

export function registerRerunCommand(program: Command, config: OffloadConfig): void {
  program
    .command('rerun')
    .description('run a past task again with the same input (optionally another model or hardware), linked to the original')
    .argument('[workflow-id]')
    .option('--query <visibility-query>', 're-run every run this Temporal visibility query finds')
    .option('--limit <n>', 'with --query: at most this many (default 20)', positiveIntArg)
    .option('--model <id>', 'run this model instead')
    .option('--hardware <hw>', 'run only on this hardware (cpu|gpu)', hardwareArg)
    .option('--diff', 'show how output and latency differ from the original')
    .option('--json', 'print JSON')
    .action(async (workflowId: string | undefined, opts) => {
      if (Boolean(workflowId) === Boolean(opts.query)) throw new Error('give exactly one of <workflow-id> or --query');
      const reruns = await withClient(config, async ({ offload }) => {
        const ids = workflowId ? [workflowId] : (await offload.list({ query: opts.query, limit: opts.limit ?? 20 })).map((e) => e.task_id);
        const done: Rerun[] = [];
        for (const id of ids) done.push(await rerunTask(offload, id, { model: opts.model, hardware: opts.hardware }));
        return done;
      });
      for (const { original, rerun } of reruns) {
        if (opts.json) console.log(JSON.stringify(opts.diff ? { ...rerun, diff: diffResults(original, rerun) } : rerun, null, 2));
        else console.log(`${formatResult(rerun)}\n  re-run of ${original.task_id}${opts.diff ? `\n${JSON.stringify(diffResults(original, rerun), null, 2)}` : ''}`);
      }
      if (reruns.some((r) => r.rerun.status === 'failed')) process.exitCode = 1;
    });
}
