import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { findRepoRoot } from '../../src/models';
import { encodeWav } from '../../src/models/audio/wav';
import type { TaskResult } from '../../src/shared/task';
import { findFreePort } from '../../temporal/free-port';
import { spawnServerProcess, type ServerProcess } from '../../temporal/server-process';
import { fixtureBase64, fixturePath } from '../harness/fixtures';
import { modelGate } from '../harness/installed-models';
import { OffloadTestEnv } from '../harness/offload-env';
import { testDeadlines } from '../harness/test-deadlines';
import { closeTestRuntimes } from '../harness/test-runtime';
import { parsePrometheusText, valueOf } from '../harness/prom-text';
import { activityAttempts, startModelSubsetWorkers, truncatedJpeg } from '../harness/fault-support';
import { waitUntil } from '../harness/poll-until';

/**
 * Bad requests to the HTTP API (`node dist/src/main/api.js`, its own process, against the test
 * Temporal server): each is answered with a 4xx whose body names the field, and starts no run; bad
 * input only a model can tell (a JPEG cut short, audio that is not what it says) completes the
 * request as a failed TaskResult (InvalidInput, one attempt). Valid requests go on.
 */
const MAX_PAYLOAD_BYTES = 200_000;
/** As the API computes it from the payload limit (base64 is a third larger, plus the envelope). */
const BODY_LIMIT = Math.ceil(MAX_PAYLOAD_BYTES * 1.4) + 64 * 1024;

const jpegBytes = readFileSync(fixturePath('images/dog_320x240.jpg'));
const jpeg = jpegBytes.toString('base64');
const pcm = fixtureBase64('audio/hello_world.s16le.pcm');
const bytesLike = (bytes: number) => Buffer.concat([jpegBytes.subarray(0, 3), Buffer.alloc(bytes - 3)]).toString('base64');
const detection = (payload: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ task_type: 'vision.detection', payload, ...extra });
const asr = (payload: Record<string, unknown>) => ({ task_type: 'voice.asr', payload });

interface Call {
  method?: 'GET' | 'POST';
  path?: string;
  /** A JSON body (serialized here), or the raw body as sent. */
  json?: unknown;
  raw?: string;
  contentType?: string;
}

interface RejectedCase extends Call {
  name: string;
  status: number;
  /** The field the answer names (`field` in the body); undefined: the body has none. */
  field?: string;
  error: RegExp;
  /** fastify's own answers (an unknown route) also carry `message` and `statusCode`. */
  message?: RegExp;
}

const REJECTED: RejectedCase[] = [
  // the body as a whole
  { name: 'a body that is not valid JSON', raw: '{"task_type": "vision.detection", "payload": ', status: 400, field: 'body', error: /Body is not valid JSON/ },
  { name: 'an empty body declared as JSON', raw: '', status: 400, field: 'body', error: /Body cannot be empty/ },
  { name: 'a body sent as text/plain', raw: JSON.stringify(detection({ image_base64: jpeg })), contentType: 'text/plain', status: 415, field: 'content-type', error: /content-type must be application\/json, got "text\/plain"/ },
  { name: 'a JSON array instead of a task', json: [detection({ image_base64: jpeg })], status: 400, field: 'task', error: /task: must be a JSON object/ },
  { name: 'a bare JSON string instead of a task', json: 'vision.detection', status: 400, field: 'task', error: /task: must be a JSON object/ },
  { name: 'a __proto__ key (prototype poisoning)', raw: '{"task_type": "text.nlu", "payload": {"text": "hi"}, "__proto__": {"admin": true}}', status: 400, field: 'body', error: /Body is not valid JSON/ },
  { name: 'a body sent as application/xml', raw: '<task type="vision.detection"/>', contentType: 'application/xml', status: 415, field: 'content-type', error: /content-type must be application\/json, got "application\/xml"/ },
  { name: 'a body over the body limit', json: detection({ image_base64: bytesLike(Math.ceil(BODY_LIMIT * 0.8)) }), status: 413, field: 'body', error: new RegExp(`request body is \\d+ bytes, over the ${BODY_LIMIT}-byte limit`) },
  // the envelope
  { name: 'an unknown task type', json: { task_type: 'vision.segment', payload: {} }, status: 400, field: 'task_type', error: /task_type: must be one of voice\.asr, / },
  { name: 'no task type', json: { payload: { text: 'hi' } }, status: 400, field: 'task_type', error: /task_type: must be one of/ },
  { name: 'priority 0', json: detection({ image_base64: jpeg }, { priority: 0 }), status: 400, field: 'priority', error: /priority: must be between 1 and 10/ },
  { name: 'priority 11', json: detection({ image_base64: jpeg }, { priority: 11 }), status: 400, field: 'priority', error: /priority: must be between 1 and 10/ },
  { name: 'a fractional priority', json: detection({ image_base64: jpeg }, { priority: 2.5 }), status: 400, field: 'priority', error: /priority: must be a whole number/ },
  { name: 'a priority that is a word', json: detection({ image_base64: jpeg }, { priority: 'high' }), status: 400, field: 'priority', error: /priority: must be a number/ },
  { name: 'a task id with spaces', json: { task_id: 'a b', task_type: 'text.nlu', payload: { text: 'stop' } }, status: 400, field: 'task_id', error: /task_id: may only hold/ },
  { name: 'meta that is not an object', json: { task_type: 'text.nlu', payload: { text: 'stop' }, meta: 'robot-1' }, status: 400, field: 'meta', error: /meta: Expected object, received string/ },
  { name: 'a payload that is not an object', json: { task_type: 'text.nlu', payload: 'stop' }, status: 400, field: 'payload', error: /payload: Expected object, received string/ },
  // images
  { name: 'an image missing', json: detection({}), status: 400, field: 'payload.image_base64', error: /payload\.image_base64: Required/ },
  { name: 'an image that is not base64', json: detection({ image_base64: 'not base64!!' }), status: 400, field: 'payload.image_base64', error: /payload\.image_base64: is not valid base64/ },
  { name: 'an empty image', json: detection({ image_base64: '' }), status: 400, field: 'payload.image_base64', error: /payload\.image_base64: is empty/ },
  { name: 'an image over the payload limit (the body is within its limit)', json: detection({ image_base64: bytesLike(MAX_PAYLOAD_BYTES + 30_000) }), status: 400, field: 'payload.image_base64', error: /payload\.image_base64: is 224\.6 KiB, over the 195\.3 KiB limit/ },
  // audio
  { name: 'empty audio', json: asr({ audio_base64: '', format: 'wav' }), status: 400, field: 'payload.audio_base64', error: /payload\.audio_base64: is empty/ },
  { name: 'sample rate 0', json: asr({ audio_base64: pcm, format: 'pcm_s16le', sample_rate: 0 }), status: 400, field: 'payload.sample_rate', error: /payload\.sample_rate: Number must be greater than or equal to 8000/ },
  { name: 'a negative sample rate', json: asr({ audio_base64: pcm, format: 'pcm_s16le', sample_rate: -16000 }), status: 400, field: 'payload.sample_rate', error: /payload\.sample_rate: Number must be greater than or equal to 8000/ },
  { name: 'a sample rate that is a string', json: asr({ audio_base64: pcm, format: 'pcm_s16le', sample_rate: '16000' }), status: 400, field: 'payload.sample_rate', error: /payload\.sample_rate: Expected number, received string/ },
  { name: 'raw PCM without a sample rate', json: asr({ audio_base64: pcm, format: 'pcm_s16le' }), status: 400, field: 'payload.sample_rate', error: /payload\.sample_rate: is required when format is pcm_s16le/ },
  { name: 'an unknown audio format', json: asr({ audio_base64: pcm, format: 'mp3' }), status: 400, field: 'payload.format', error: /payload\.format: Invalid enum value\. Expected 'wav' \| 'pcm_s16le', received 'mp3'/ },
  // text
  { name: 'text to speak over 2000 characters', json: { task_type: 'voice.tts', payload: { text: 'la '.repeat(700) } }, status: 400, field: 'payload.text', error: /payload\.text: must be at most 2000 characters/ },
  { name: 'a temperature out of range', json: { task_type: 'text.generate', payload: { prompt: 'hi', temperature: 7 } }, status: 400, field: 'payload.temperature', error: /payload\.temperature: Number must be less than or equal to 2/ },
  { name: 'max_tokens 0', json: { task_type: 'text.generate', payload: { prompt: 'hi', max_tokens: 0 } }, status: 400, field: 'payload.max_tokens', error: /payload\.max_tokens: Number must be greater than or equal to 1/ },
  // reading
  { name: 'GET an unknown task id', method: 'GET', path: '/v1/tasks/no-such-task-xyz', status: 404, error: /no-such-task-xyz/ },
  { name: 'GET the result of an unknown task id (?wait=true)', method: 'GET', path: '/v1/tasks/no-such-task-xyz?wait=true', status: 404, error: /no task with id no-such-task-xyz/ },
  { name: 'list with limit=abc', method: 'GET', path: '/v1/tasks?limit=abc', status: 400, field: 'limit', error: /limit: must be a positive whole number, got "abc"/ },
  { name: 'list with limit=0', method: 'GET', path: '/v1/tasks?limit=0', status: 400, field: 'limit', error: /limit: must be a positive whole number, got "0"/ },
  { name: 'list with an unknown task type', method: 'GET', path: '/v1/tasks?type=vision.segment', status: 400, field: 'type', error: /type: must be one of/ },
  { name: 'POST to a route that does not exist', path: '/v1/task', json: detection({ image_base64: jpeg }), status: 404, error: /^Not Found$/, message: /Route POST:\/v1\/task not found/ },
];

interface FailedRunCase {
  name: string;
  json: Record<string, unknown>;
  activity: string;
  error: RegExp;
}

const FAILED_RUNS: FailedRunCase[] = [
  { name: 'a JPEG cut short (right start, passes the edge)', json: detection({ image_base64: truncatedJpeg(jpegBytes).toString('base64') }), activity: 'runDetectionModel', error: /image could not be decoded/ },
  { name: 'audio said to be WAV that is not', json: asr({ audio_base64: pcm, format: 'wav' }), activity: 'runAsrModel', error: /audio is not a WAV file/ },
  { name: 'a WAV file with no samples', json: asr({ audio_base64: Buffer.from(encodeWav(new Int16Array(0), 16000)).toString('base64'), format: 'wav' }), activity: 'runAsrModel', error: /audio has no samples/ },
  { name: 'raw PCM with an odd number of bytes', json: asr({ audio_base64: Buffer.from([1, 2, 3]).toString('base64'), format: 'pcm_s16le', sample_rate: 16000 }), activity: 'runAsrModel', error: /even number of bytes, got 3/ },
];

let env: OffloadTestEnv;
let models: { close(): Promise<void> } | undefined;
let api: ServerProcess | undefined;
let apiUrl: string;
const apiLines: string[] = [];
let bodyRejections = 0;

beforeAll(async () => {
  env = await OffloadTestEnv.start({ hardware: [], env: { OFFLOAD_MAX_PAYLOAD_BYTES: String(MAX_PAYLOAD_BYTES) } });
  models = await startModelSubsetWorkers(env, ['cpu'], ['yolox-nano', 'whisper-tiny.en', 'silero-vad']);
  const port = await findFreePort();
  apiUrl = `http://127.0.0.1:${port}`;
  api = await spawnServerProcess({
    command: process.execPath,
    args: [resolve(findRepoRoot(), 'dist', 'src', 'main', 'api.js')],
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TEMPORAL_ADDRESS: process.env.OFFLOAD_TEST_TEMPORAL_ADDRESS,
      OFFLOAD_TASK_QUEUE_PREFIX: env.config.queuePrefix,
      OFFLOAD_MODEL_DIR: process.env.OFFLOAD_TEST_MODEL_DIR,
      OFFLOAD_API_HOST: '127.0.0.1',
      OFFLOAD_API_PORT: String(port),
      OFFLOAD_MAX_PAYLOAD_BYTES: String(MAX_PAYLOAD_BYTES),
      OFFLOAD_ROUTES: 'vision.detection=cpu,voice.asr=cpu',
      OFFLOAD_DEADLINES_MS: testDeadlines(),
      OFFLOAD_LOG_LEVEL: 'info',
    },
    stopTimeoutMs: 10_000,
    log: (line) => apiLines.push(line),
  });
  await waitUntil('the API answers /healthz', () => fetch(`${apiUrl}/healthz`).then((r) => r.ok, () => false), 60_000, () => apiLines.slice(-10).join('\n'));
}, 180_000);

afterAll(async () => {
  await api?.stop();
  await env?.close();
  await models?.close();
  await closeTestRuntimes();
});

async function call(c: Call): Promise<{ status: number; body: Record<string, unknown> }> {
  const body = c.raw ?? (c.json === undefined ? undefined : JSON.stringify(c.json));
  const response = await fetch(`${apiUrl}${c.path ?? '/v1/tasks'}`, {
    method: c.method ?? 'POST',
    headers: body === undefined ? {} : { 'content-type': c.contentType ?? 'application/json' },
    body,
    signal: AbortSignal.timeout(60_000),
  });
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) as Record<string, unknown> };
  } catch {
    return { status: response.status, body: { unparsable: text } };
  }
}

/** Runs started by anyone through this test's task queues. */
async function ownRuns(): Promise<number> {
  return (await env.offload.list({ query: `TaskQueue = '${env.config.queuePrefix}-workflows'`, limit: 1000 })).length;
}

describe('requests the API rejects', () => {
  let runsBefore = 0;
  beforeAll(async () => {
    runsBefore = await ownRuns();
  });

  test.each(REJECTED.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const { status, body } = await call(c);
    if ((c.method ?? 'POST') === 'POST' && (c.path ?? '/v1/tasks') === '/v1/tasks' && status === 400) bodyRejections += 1;
    const expected = { error: expect.stringMatching(c.error), ...(c.field ? { field: c.field } : {}), ...(c.message ? { message: expect.stringMatching(c.message), statusCode: c.status } : {}) };
    expect({ status, body }).toEqual({ status: c.status, body: expected });
  });

  test('none of them started a run, and each 400 on POST /v1/tasks is counted as a malformed request', async () => {
    expect(await ownRuns()).toBe(runsBefore);
    const response = await fetch(`${apiUrl}/metrics?aggregate=false`);
    const page = parsePrometheusText(await response.text());
    expect(valueOf(page, 'offload_malformed_messages_total', { source: 'http', topic: '/v1/tasks' })).toBe(bodyRejections);
    expect(apiLines.filter((l) => /\n\s+at /.test(l) || /^\s+at /.test(l))).toEqual([]);
    console.log(`HTTP edge: ${REJECTED.length} named bad requests answered 4xx naming the field (${bodyRejections} counted as malformed), no run started`);
  });
});

const asrModel = modelGate('voice.asr');

describe('bad input only the model can tell: the request completes as a failed TaskResult', () => {
  const runnable = (c: FailedRunCase) => c.activity !== 'runAsrModel' || asrModel.installed;
  for (const c of FAILED_RUNS.filter((c) => !runnable(c))) test.skip(`${c.name} [${asrModel.reason}]`, () => undefined);
  test.each(FAILED_RUNS.filter(runnable).map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const { status, body } = await call({ json: c.json });
    const result = body as unknown as TaskResult;
    expect({ status, status_: result.status, error: result.error }).toEqual({ status: 200, status_: 'failed', error: expect.stringMatching(c.error) });
    const history = await env.client.workflow.getHandle(result.task_id).fetchHistory();
    const failure = history.events?.find((e) => e.workflowExecutionFailedEventAttributes)?.workflowExecutionFailedEventAttributes?.failure;
    expect(failure?.applicationFailureInfo).toMatchObject({ type: 'InvalidInput', nonRetryable: true });
    expect(activityAttempts(history.events ?? [], c.activity)).toEqual([1]);
    const polled = await call({ method: 'GET', path: `/v1/tasks/${result.task_id}` });
    expect(polled).toMatchObject({ status: 200, body: { task_id: result.task_id, status: 'failed', error: expect.stringMatching(c.error) } });
  });
});

test('after all of that, a valid detection completes', async () => {
  const started = performance.now();
  const { status, body } = await call({ json: detection({ image_base64: jpeg }) });
  const result = body as unknown as TaskResult<{ boxes: Array<{ label: string }> }>;
  console.log(`HTTP edge, valid detection afterwards: ${result.status} in ${Math.round(performance.now() - started)} ms, ${result.result?.boxes.length} boxes`);
  expect(status).toBe(200);
  expect(result.status).toBe('completed');
  expect(result.result?.boxes.map((b) => b.label)).toContain('dog');
}, 60_000);
