import { Command, InvalidArgumentError } from 'commander';
import { loadConfig } from '../config/load-config';
import { InvalidTaskError } from '../shared/errors';
import { TASK_TYPES } from '../shared/task-types';
import { buildRequest } from './cli-request';
import { formatList, formatResult } from './cli-format';
import { connectClient } from './connect-client';
import { writeAudioOutput } from './cli-output';

const EXIT_TASK_FAILED = 1;
const EXIT_BAD_INPUT = 2;

function priority(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 10) throw new InvalidArgumentError('priority must be a whole number from 1 (highest) to 10');
  return n;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive whole number');
  return n;
}

async function withClient<T>(run: (client: Awaited<ReturnType<typeof connectClient>>) => Promise<T>): Promise<T> {
  const connected = await connectClient(loadConfig());
  try {
    return await run(connected);
  } finally {
    await connected.connection.close();
  }
}

const program = new Command('offload').description('Offload: durable AI tasks for the Rider-PI robot, on Temporal').showHelpAfterError();

program
  .command('submit')
  .description(`run a task and print its TaskResult; task types: ${TASK_TYPES.join(', ')}`)
  .argument('<task-type>')
  .option('--file <path>', 'input file: an image (JPEG/PNG), audio (WAV, or raw PCM s16le with --rate), or text')
  .option('--text <text>', 'input text (voice.tts, text.generate, text.nlu)')
  .option('--rate <hz>', 'sample rate of raw PCM audio', positiveInt)
  .option('--priority <n>', '1 (highest) .. 10 (lowest); default per task type', priority)
  .option('--robot <id>', 'robot the task is for')
  .option('--task-id <id>', 'task id (= workflow id); the same id twice runs once')
  .option('--out <path>', 'write produced audio here')
  .option('--no-wait', 'return once the run has started')
  .option('--json', 'print JSON')
  .action(async (taskType: string, opts) => {
    const request = await buildRequest(taskType, opts);
    const result = await withClient(({ offload }) => offload.submit(request, { wait: opts.wait }));
    if (opts.out) await writeAudioOutput(result, opts.out);
    console.log(opts.json ? JSON.stringify(result, null, 2) : formatResult(result));
    if (result.status === 'failed') process.exitCode = EXIT_TASK_FAILED;
  });

program
  .command('status')
  .description('print the state or result of a task')
  .argument('<task-id>')
  .option('--json', 'print JSON')
  .action(async (taskId: string, opts) => {
    const result = await withClient(({ offload }) => offload.status(taskId));
    console.log(opts.json ? JSON.stringify(result, null, 2) : formatResult(result));
  });

program
  .command('list')
  .description('list recent tasks (Temporal visibility)')
  .option('--failed', 'only tasks without a result: invalid, handed back to the robot, or failed')
  .option('--type <task-type>', 'only this task type')
  .option('--robot <id>', 'only this robot')
  .option('--query <visibility-query>', 'an extra Temporal visibility query')
  .option('--limit <n>', 'at most this many (default 100)', positiveInt)
  .option('--json', 'print JSON')
  .action(async (opts) => {
    const entries = await withClient(({ offload }) =>
      offload.list({ failed: opts.failed, taskType: opts.type, robot: opts.robot, query: opts.query, limit: opts.limit }),
    );
    console.log(opts.json ? JSON.stringify(entries, null, 2) : formatList(entries));
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  console.error(`offload: ${message}`);
  process.exitCode = err instanceof InvalidTaskError || err instanceof InvalidArgumentError ? EXIT_BAD_INPUT : EXIT_TASK_FAILED;
});
