import type { Command } from 'commander';
import type { OffloadConfig } from '../../config/load-config';
import { TASK_TYPES } from '../../shared/task-types';
import { buildRequest } from '../cli-request';
import { formatResult } from '../cli-format';
import { writeAudioOutput } from '../cli-output';
import { EXIT_TASK_FAILED, positiveIntArg, priorityArg, withClient } from '../cli-support';

export function registerSubmitCommand(program: Command, config: OffloadConfig): void {
  program
    .command('submit')
    .description(`run a task and print its TaskResult; task types: ${TASK_TYPES.join(', ')}`)
    .argument('<task-type>')
    .option('--file <path>', 'input file: an image (JPEG/PNG), audio (WAV, or raw PCM s16le with --rate), or text')
    .option('--text <text>', 'input text (voice.tts, text.generate, text.nlu)')
    .option('--rate <hz>', 'sample rate of raw PCM audio', positiveIntArg)
    .option('--language <code>', "language of the speech or text (pl, en): voice.asr (default the robot's, OFFLOAD_ROBOT_LANGUAGE), voice.tts, text.generate, text.nlu")
    .option('--voice <name>', 'voice.tts: the voice, e.g. pl_PL-gosia-medium (see docs/models.md for how one is chosen)')
    .option('--priority <n>', '1 (highest) .. 10 (lowest); default per task type', priorityArg)
    .option('--robot <id>', 'robot the task is for')
    .option('--task-id <id>', 'task id (= workflow id); the same id twice runs once')
    .option('--model <id>', 'run this installed model instead of the task type\'s default (see `offload models list`)')
    .option('--out <path>', 'write produced audio here')
    .option('--no-wait', 'return once the run has started')
    .option('--json', 'print JSON')
    .action(async (taskType: string, opts) => {
      const request = await buildRequest(taskType, opts);
      const result = await withClient(config, ({ offload }) => offload.submit(request, { wait: opts.wait }));
      if (opts.out) await writeAudioOutput(result, opts.out);
      console.log(opts.json ? JSON.stringify(result, null, 2) : formatResult(result));
      if (result.status === 'failed') process.exitCode = EXIT_TASK_FAILED;
    });
}
