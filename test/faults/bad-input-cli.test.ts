import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TaskResult } from '../../src/shared/task';
import { fixturePath } from '../harness/fixtures';
import { modelGate } from '../harness/installed-models';
import { OffloadTestEnv } from '../harness/offload-env';
import { testDeadlines } from '../harness/test-deadlines';
import { runCli, type CliRun } from '../harness/run-cli';
import { closeTestRuntimes } from '../harness/test-runtime';
import { startModelSubsetWorkers, truncatedJpeg } from '../harness/fault-support';

/**
 * Bad input to the `offload` CLI (its own process, against the test Temporal server): a non-zero
 * exit code and one clear line on stderr saying what is wrong, never a stack trace; input only a
 * model can tell fails the run, which the CLI prints with exit code 1. Valid submits go on.
 */
const MAX_PAYLOAD_BYTES = 200_000;
const EXIT_BAD_INPUT = 2;
/** commander's own exit code for a bad option or argument (it prints the usage after the error line). */
const EXIT_USAGE = 1;
const EXIT_FAILED = 1;

const dir = mkdtempSync(join(tmpdir(), 'offload-cli-faults-'));
const file = (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const dog = fixturePath('images/dog_320x240.jpg');
const pcm = fixturePath('audio/hello_world.s16le.pcm');
const emptyImage = file('empty.jpg', '');
const notAnImage = file('notes.txt', 'this is a shopping list, not a picture\n');
const cutShort = file('cut-short.jpg', truncatedJpeg(readFileSync(dog)));
const notWav = file('speech.wav', readFileSync(pcm));
const notJson = file('history.json', 'this is no history');
const notHistory = file('other.json', JSON.stringify({ events: [{ eventId: '1', eventType: 'EVENT_TYPE_TIMER_FIRED' }] }));

interface CliCase {
  name: string;
  args: string[];
  code: number;
  /** The first stderr line. */
  stderr: RegExp;
  /** commander's own errors print the usage after the error line. */
  usage?: boolean;
  env?: Record<string, string>;
}

const REJECTED: CliCase[] = [
  // what to run
  { name: 'submit: an unknown task type', args: ['submit', 'vision.segment', '--file', dog], code: EXIT_BAD_INPUT, stderr: /^offload: invalid task: task-type: "vision\.segment" is not one of voice\.asr, / },
  { name: 'submit: no task type', args: ['submit'], code: EXIT_USAGE, stderr: /^error: missing required argument 'task-type'/, usage: true },
  { name: 'submit: an unknown option', args: ['submit', 'vision.detection', '--file', dog, '--colour', 'red'], code: EXIT_USAGE, stderr: /^error: unknown option '--colour'/, usage: true },
  { name: 'an unknown command', args: ['frobnicate'], code: EXIT_USAGE, stderr: /^error: unknown command 'frobnicate'/, usage: true },
  // the input file
  { name: 'submit: a file that does not exist', args: ['submit', 'vision.detection', '--file', join(dir, 'missing.jpg')], code: EXIT_BAD_INPUT, stderr: /^offload: invalid task: --file: cannot read .*missing\.jpg: ENOENT/ },
  { name: 'submit: a directory instead of a file', args: ['submit', 'vision.detection', '--file', dir], code: EXIT_BAD_INPUT, stderr: /^offload: invalid task: --file: cannot read .*: EISDIR/ },
  { name: 'submit: an empty image file', args: ['submit', 'vision.detection', '--file', emptyImage], code: EXIT_BAD_INPUT, stderr: /^offload: invalid task: payload\.image_base64: is empty/ },
  { name: 'submit: an image over the payload limit', args: ['submit', 'vision.detection', '--file', fixturePath('images/bus.jpg')], code: EXIT_BAD_INPUT, stderr: /^offload: invalid task: payload\.image_base64: is 476\.0 KiB, over the 195\.3 KiB limit/ },
  { name: 'submit: both --file and --text', args: ['submit', 'voice.tts', '--file', notAnImage, '--text', 'hello'], code: EXIT_BAD_INPUT, stderr: /^offload: invalid task: --file\/--text: give exactly one of --file PATH or --text TEXT/ },
  { name: 'submit: neither --file nor --text', args: ['submit', 'vision.detection'], code: EXIT_BAD_INPUT, stderr: /^offload: invalid task: --file\/--text: give exactly one/ },
  { name: 'submit: --text for an image task', args: ['submit', 'vision.detection', '--text', 'a dog'], code: EXIT_BAD_INPUT, stderr: /^offload: invalid task: input: this task type needs an image file \(--file\)/ },
  { name: 'submit: empty text to speak', args: ['submit', 'voice.tts', '--text', '   '], code: EXIT_BAD_INPUT, stderr: /^offload: invalid task: payload\.text: must not be empty/ },
  // options
  { name: 'submit: --priority 0', args: ['submit', 'vision.detection', '--file', dog, '--priority', '0'], code: EXIT_USAGE, stderr: /^error: option '--priority <n>' argument '0' is invalid\. priority must be a whole number from 1 \(highest\) to 10/, usage: true },
  { name: 'submit: --priority 11', args: ['submit', 'vision.detection', '--file', dog, '--priority', '11'], code: EXIT_USAGE, stderr: /argument '11' is invalid\. priority must be a whole number from 1/, usage: true },
  { name: 'submit: --priority high', args: ['submit', 'vision.detection', '--file', dog, '--priority', 'high'], code: EXIT_USAGE, stderr: /argument 'high' is invalid\. priority must be a whole number/, usage: true },
  { name: 'submit: --rate abc', args: ['submit', 'voice.asr', '--file', pcm, '--rate', 'abc'], code: EXIT_USAGE, stderr: /^error: option '--rate <hz>' argument 'abc' is invalid\. must be a positive whole number/, usage: true },
  { name: 'submit: --rate 0', args: ['submit', 'voice.asr', '--file', pcm, '--rate', '0'], code: EXIT_USAGE, stderr: /^error: option '--rate <hz>' argument '0' is invalid/, usage: true },
  { name: 'submit: --rate 4000, below what speech audio may have', args: ['submit', 'voice.asr', '--file', pcm, '--rate', '4000'], code: EXIT_BAD_INPUT, stderr: /^offload: invalid task: payload\.sample_rate: Number must be greater than or equal to 8000/ },
  { name: 'submit: raw PCM without --rate', args: ['submit', 'voice.asr', '--file', pcm], code: EXIT_BAD_INPUT, stderr: /^offload: invalid task: input: this task type needs the sample rate of raw PCM \(--rate\)/ },
  { name: 'submit: a task id with spaces', args: ['submit', 'text.nlu', '--text', 'stop', '--task-id', 'my task'], code: EXIT_BAD_INPUT, stderr: /^offload: invalid task: task_id: may only hold letters, digits/ },
  { name: 'list: --limit 0', args: ['list', '--limit', '0'], code: EXIT_USAGE, stderr: /^error: option '--limit <n>' argument '0' is invalid/, usage: true },
  { name: 'list: an unknown --type', args: ['list', '--type', 'vision.segment'], code: EXIT_FAILED, stderr: /^offload: unknown task type "vision\.segment"/ },
  { name: 'rerun: --hardware tpu', args: ['rerun', 'some-task', '--hardware', 'tpu'], code: EXIT_USAGE, stderr: /^error: option '--hardware <hw>' argument 'tpu' is invalid\. hardware must be one of gpu, cpu/, usage: true },
  { name: 'a bad setting in the environment', args: ['status', 'some-task'], env: { OFFLOAD_MAX_PAYLOAD_BYTES: 'lots' }, code: EXIT_FAILED, stderr: /^offload: .*OFFLOAD_MAX_PAYLOAD_BYTES/ },
  // task ids and histories that do not exist
  { name: 'status: an unknown task id', args: ['status', 'no-such-task-xyz'], code: EXIT_FAILED, stderr: /^offload: .*no-such-task-xyz/ },
  { name: 'rerun: an unknown task id', args: ['rerun', 'no-such-task-xyz'], code: EXIT_FAILED, stderr: /^offload: .*no-such-task-xyz/ },
  { name: 'replay: an unknown task id', args: ['replay', 'no-such-task-xyz'], code: EXIT_FAILED, stderr: /^offload: .*no-such-task-xyz/ },
  { name: 'replay: a history file that does not exist', args: ['replay', '--file', join(dir, 'gone.json')], code: EXIT_FAILED, stderr: /^offload: .*gone\.json/ },
  { name: 'replay: a history file that is not JSON', args: ['replay', '--file', notJson], code: EXIT_FAILED, stderr: /^offload: .*history\.json is not a workflow history: .*not valid JSON/ },
  { name: 'replay: a JSON file that is not a workflow history', args: ['replay', '--file', notHistory], code: EXIT_FAILED, stderr: /^offload: .*other\.json is not a workflow history/ },
];

interface FailedRunCase {
  name: string;
  args: string[];
  error: RegExp;
}

const FAILED_RUNS: FailedRunCase[] = [
  { name: 'submit: a text file as the image', args: ['submit', 'vision.detection', '--file', notAnImage], error: /image could not be decoded/ },
  { name: 'submit: a JPEG cut short', args: ['submit', 'vision.detection', '--file', cutShort], error: /image could not be decoded/ },
  { name: 'submit: raw PCM named .wav', args: ['submit', 'voice.asr', '--file', notWav], error: /audio is not a WAV file/ },
];

let env: OffloadTestEnv;
let models: { close(): Promise<void> } | undefined;
const durations: number[] = [];
const firstLines: string[] = [];

beforeAll(async () => {
  env = await OffloadTestEnv.start({ hardware: [], env: { OFFLOAD_MAX_PAYLOAD_BYTES: String(MAX_PAYLOAD_BYTES) } });
  models = await startModelSubsetWorkers(env, ['cpu'], ['yolox-nano', 'whisper-tiny.en', 'silero-vad']);
}, 180_000);

afterAll(async () => {
  await env?.close();
  await models?.close();
  await closeTestRuntimes();
  const sorted = [...durations].sort((a, b) => a - b);
  console.log(`CLI edge: ${REJECTED.length} named bad invocations + ${FAILED_RUNS.length} failing runs; a CLI run takes p50 ${Math.round(sorted[Math.floor(sorted.length / 2)] ?? NaN)} ms\n${firstLines.join('\n')}`);
});

async function cli(args: string[], extraEnv: Record<string, string> = {}): Promise<CliRun> {
  const started = performance.now();
  const run = await runCli(args, {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TEMPORAL_ADDRESS: process.env.OFFLOAD_TEST_TEMPORAL_ADDRESS,
    OFFLOAD_TASK_QUEUE_PREFIX: env.config.queuePrefix,
    OFFLOAD_MAX_PAYLOAD_BYTES: String(MAX_PAYLOAD_BYTES),
    OFFLOAD_ROUTES: 'vision.detection=cpu,voice.asr=cpu,voice.tts=cpu,text.nlu=cpu',
    OFFLOAD_DEADLINES_MS: testDeadlines(),
    ...extraEnv,
  });
  durations.push(performance.now() - started);
  return run;
}

const STACK_FRAME = /^\s+at .+[:(]/m;

describe('invocations the CLI refuses', () => {
  test.each(REJECTED.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const run = await cli(c.args, c.env);
    const lines = run.stderr.split('\n').filter((l) => l.trim() !== '');
    firstLines.push(`  ${c.name} -> exit ${run.code}: ${lines[0]}`);
    expect({ code: run.code, first: lines[0] }).toEqual({ code: c.code, first: expect.stringMatching(c.stderr) });
    expect(run.stderr).not.toMatch(STACK_FRAME);
    // one line; commander follows its error line with the command's usage
    if (c.usage) expect(lines[1]).toMatch(/^Usage: offload/);
    else expect(lines).toHaveLength(1);
    expect(run.stdout).toBe('');
  });
});

const asrModel = modelGate('voice.asr');

describe('input only the model can tell: the run fails, the CLI prints it and exits 1', () => {
  const runnable = (c: FailedRunCase) => c.args[1] !== 'voice.asr' || asrModel.installed;
  for (const c of FAILED_RUNS.filter((c) => !runnable(c))) test.skip(`${c.name} [${asrModel.reason}]`, () => undefined);
  test.each(FAILED_RUNS.filter(runnable).map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const run = await cli([...c.args, '--json']);
    expect(run.code).toBe(EXIT_FAILED);
    expect(run.stderr).toBe('');
    const result = JSON.parse(run.stdout) as TaskResult;
    expect(result).toMatchObject({ status: 'failed', error: expect.stringMatching(c.error) });
    const plain = await cli(['status', result.task_id]);
    expect(plain.stdout.split('\n')[0]).toMatch(new RegExp(`^${result.task_id.replace(/[.]/g, '\\.')}: failed - .*${c.error.source}`));
  });
});

test('after all of that, a valid submit completes', async () => {
  const run = await cli(['submit', 'vision.detection', '--file', dog, '--json']);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const result = JSON.parse(run.stdout) as TaskResult<{ boxes: Array<{ label: string }> }>;
  console.log(`CLI edge, valid submit afterwards: ${result.status} in ${result.processing_time_ms} ms`);
  expect(result.status).toBe('completed');
  expect(result.result?.boxes.map((b) => b.label)).toContain('dog');
}, 60_000);
