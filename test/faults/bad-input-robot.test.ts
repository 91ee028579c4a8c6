import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import type { MalformedReason } from '../../src/bridge/bus-message';
import { BridgeTestEnv } from '../harness/bridge-env';
import { fixtureBase64, fixturePath } from '../harness/fixtures';
import { modelGate } from '../harness/installed-models';
import { closeTestRuntimes } from '../harness/test-runtime';
import { activityAttempts, startModelSubsetWorkers, truncatedJpeg } from '../harness/fault-support';
import { waitUntil } from '../harness/poll-until';
import { calledActivities } from '../harness/history-events';
import { spoken, streamMicrophone } from '../harness/robot-voice';
import { TEST_DEADLINE_MS } from '../harness/test-deadlines';

/**
 * Bad robot messages over real ZeroMQ (robot simulator -> robot broker -> bridge): each one is
 * dropped, counted under its topic and reason, and logged saying what is wrong (never what it held);
 * bad input that only the model can tell (a JPEG cut short) runs, fails InvalidInput, and the robot
 * is still answered. Valid traffic goes on.
 */
const SECRET = 'SECRET-ROBOT-WORDS';
const FRAME = 'vision.frame.offload';
const ASR = 'voice.asr.request';
const TTS = 'voice.tts.request';
const MAX_PAYLOAD_BYTES = 1024 * 1024;

const jpegBytes = readFileSync(fixturePath('images/dog_320x240.jpg'));
const jpeg = jpegBytes.toString('base64');
const pcm = fixtureBase64('audio/hello_world.s16le.pcm');
const b64 = (text: string) => Buffer.from(text).toString('base64');
const json = (value: unknown) => JSON.stringify(value);
/** Bytes that start like a JPEG (so only the size check can stop them). */
const jpegOfSize = (bytes: number) => Buffer.concat([jpegBytes.subarray(0, 3), Buffer.alloc(bytes - 3)]).toString('base64');

interface DroppedCase {
  name: string;
  frames: Array<string | Buffer> | (() => Promise<Array<string | Buffer>>);
  /** `topic` label of the counter: the request topic, or `other`. */
  topic: string;
  reason: MalformedReason;
  /** What the log line's `detail` must say. */
  detail: RegExp;
}

const DROPPED: DroppedCase[] = [
  // frames: the shape of the message
  { name: 'frame: the payload is not JSON', frames: [FRAME, `{not json ${SECRET}`], topic: FRAME, reason: 'not_json', detail: /^payload \(\d+ bytes\) is not JSON/ },
  { name: 'frame: the payload is binary, not UTF-8 JSON', frames: [FRAME, Buffer.from([0xff, 0xfe, 0x00, 0x81])], topic: FRAME, reason: 'not_json', detail: /^payload \(4 bytes\) is not JSON/ },
  { name: 'frame: the payload is a JSON array', frames: [FRAME, json([1, 2, SECRET])], topic: FRAME, reason: 'not_object', detail: /payload is an array, not a JSON object/ },
  { name: 'frame: the payload is JSON null', frames: [FRAME, 'null'], topic: FRAME, reason: 'not_object', detail: /payload is null, not a JSON object/ },
  { name: 'frame: the payload frame is empty', frames: [FRAME, ''], topic: FRAME, reason: 'no_payload', detail: /payload frame is empty/ },
  { name: 'frame: a topic frame and no payload frame', frames: [FRAME], topic: FRAME, reason: 'no_payload', detail: /topic and no payload/ },
  { name: 'frame: a payload split over two frames that do not join into JSON', frames: [FRAME, '{"ts": 1.5, ', `"frame_jpeg": ${SECRET}}`], topic: FRAME, reason: 'not_json', detail: /is not JSON/ },
  { name: 'frame: one frame "<topic> <garbage>" (the robot\'s single-frame form)', frames: [`${FRAME} {${SECRET}`], topic: FRAME, reason: 'not_json', detail: /is not JSON/ },
  { name: 'a topic that only shares the prefix of a request topic', frames: [`${FRAME}.debug`, json({ ts: 1 })], topic: 'other', reason: 'unknown_topic', detail: /topic "vision\.frame\.offload\.debug" is not one the bridge serves/ },
  { name: 'one frame where the topic runs into the payload without a space', frames: [`${FRAME}X${json({ ts: 1 })}`], topic: 'other', reason: 'unknown_topic', detail: /is not one the bridge serves/ },
  // frames: the fields
  { name: 'frame: frame_jpeg missing', frames: [FRAME, json({ ts: 1.5, size: { w: 320, h: 240 } })], topic: FRAME, reason: 'missing_field', detail: /^frame_jpeg: Required/ },
  { name: 'frame: ts is a string', frames: [FRAME, json({ ts: 'yesterday', frame_jpeg: jpeg })], topic: FRAME, reason: 'wrong_type', detail: /^ts: Expected number, received string/ },
  { name: 'frame: ts is negative', frames: [FRAME, json({ ts: -5, frame_jpeg: jpeg })], topic: FRAME, reason: 'bad_value', detail: /^ts: Number must be greater than 0/ },
  { name: 'frame: ts in milliseconds, not seconds (would outdate every real frame)', frames: [FRAME, json({ ts: Date.now(), frame_jpeg: jpeg })], topic: FRAME, reason: 'bad_value', detail: /^ts: must be seconds since the epoch \(at most 4102444800, the year 2100\)/ },
  { name: 'frame: ts overflows to Infinity (1e400)', frames: [FRAME, `{"ts": 1e400, "frame_jpeg": "${jpeg}"}`], topic: FRAME, reason: 'bad_value', detail: /^ts: Number must be finite/ },
  { name: 'frame: size.w is zero', frames: [FRAME, json({ ts: 1.5, frame_jpeg: jpeg, size: { w: 0, h: 240 } })], topic: FRAME, reason: 'bad_value', detail: /^size\.w: Number must be greater than 0/ },
  { name: 'frame: frame_jpeg is not base64', frames: [FRAME, json({ ts: 1.5, frame_jpeg: `@@${SECRET}@@` })], topic: FRAME, reason: 'bad_base64', detail: /^frame_jpeg: is not valid base64/ },
  { name: 'frame: frame_jpeg is empty', frames: [FRAME, json({ ts: 1.5, frame_jpeg: '' })], topic: FRAME, reason: 'bad_base64', detail: /^frame_jpeg: is empty/ },
  { name: 'frame: frame_jpeg holds text, not an image', frames: [FRAME, json({ ts: 1.5, frame_jpeg: b64(`${SECRET} is no image`) })], topic: FRAME, reason: 'not_jpeg', detail: /^frame_jpeg: is not a JPEG image/ },
  {
    name: 'frame: frame_jpeg holds a PNG',
    frames: async () => [FRAME, json({ ts: 1.5, frame_jpeg: (await sharp(jpegBytes).png().toBuffer()).toString('base64') })],
    topic: FRAME,
    reason: 'not_jpeg',
    detail: /^frame_jpeg: is not a JPEG image \(no FF D8 FF start\)/,
  },
  { name: 'frame: frame_jpeg decodes to more than the payload limit', frames: [FRAME, json({ ts: 1.5, frame_jpeg: jpegOfSize(MAX_PAYLOAD_BYTES + 20_000) })], topic: FRAME, reason: 'oversized', detail: /^frame_jpeg: is 1\.0\d MiB, over the 1\.00 MiB limit/ },
  { name: 'frame: the message is over the bus size limit', frames: [FRAME, json({ ts: 1.5, frame_jpeg: jpegOfSize(1100 * 1024) })], topic: FRAME, reason: 'oversized', detail: /^payload is \d+ bytes, over the \d+-byte limit/ },
  // speech recognition
  { name: 'asr: rate missing', frames: [ASR, json({ ts: 1.5, len: 4, chunk_pcm: b64('abcd') })], topic: ASR, reason: 'missing_field', detail: /^rate: Required/ },
  { name: 'asr: rate is a string', frames: [ASR, json({ ts: 1.5, rate: '16000', len: 4, chunk_pcm: b64('abcd') })], topic: ASR, reason: 'wrong_type', detail: /^rate: Expected number, received string/ },
  { name: 'asr: rate 0', frames: [ASR, json({ ts: 1.5, rate: 0, len: 4, chunk_pcm: b64('abcd') })], topic: ASR, reason: 'bad_value', detail: /^rate: Number must be greater than or equal to 8000/ },
  { name: 'asr: a negative rate', frames: [ASR, json({ ts: 1.5, rate: -16000, len: 4, chunk_pcm: b64('abcd') })], topic: ASR, reason: 'bad_value', detail: /^rate: Number must be greater than or equal to 8000/ },
  { name: 'asr: a rate far too high (1e9 Hz)', frames: [ASR, json({ ts: 1.5, rate: 1e9, len: 4, chunk_pcm: b64('abcd') })], topic: ASR, reason: 'bad_value', detail: /^rate: Number must be less than or equal to 192000/ },
  { name: 'asr: a fractional rate', frames: [ASR, json({ ts: 1.5, rate: 16000.5, len: 4, chunk_pcm: b64('abcd') })], topic: ASR, reason: 'wrong_type', detail: /^rate: Expected integer, received float/ },
  { name: 'asr: empty audio (len 0, chunk_pcm "")', frames: [ASR, json({ ts: 1.5, rate: 16000, len: 0, chunk_pcm: '' })], topic: ASR, reason: 'bad_value', detail: /^len: Number must be greater than 0/ },
  { name: 'asr: empty audio that claims 2 bytes', frames: [ASR, json({ ts: 1.5, rate: 16000, len: 2, chunk_pcm: '' })], topic: ASR, reason: 'bad_base64', detail: /^chunk_pcm: is empty/ },
  { name: 'asr: len disagrees with the audio', frames: [ASR, json({ ts: 1.5, rate: 16000, len: 999, chunk_pcm: pcm })], topic: ASR, reason: 'bad_value', detail: /^len: says 999 bytes but chunk_pcm holds \d+/ },
  { name: 'asr: an odd number of bytes for 16-bit audio', frames: [ASR, json({ ts: 1.5, rate: 16000, len: 3, chunk_pcm: b64('abc') })], topic: ASR, reason: 'bad_value', detail: /^chunk_pcm: s16le audio needs an even number of bytes, got 3/ },
  { name: 'asr: chunk_pcm is not base64', frames: [ASR, json({ ts: 1.5, rate: 16000, len: 4, chunk_pcm: '!!!!' })], topic: ASR, reason: 'bad_base64', detail: /^chunk_pcm: is not valid base64/ },
  {
    name: 'asr: audio over the payload limit',
    frames: [ASR, json({ ts: 1.5, rate: 16000, len: MAX_PAYLOAD_BYTES + 20_000, chunk_pcm: Buffer.alloc(MAX_PAYLOAD_BYTES + 20_000).toString('base64') })],
    topic: ASR,
    reason: 'oversized',
    detail: /^chunk_pcm: is 1\.0\d MiB, over the 1\.00 MiB limit/,
  },
  { name: 'asr: the payload is not JSON', frames: [ASR, SECRET], topic: ASR, reason: 'not_json', detail: /is not JSON/ },
  // speech synthesis
  { name: 'tts: text is blank', frames: [TTS, json({ text: '   ' })], topic: TTS, reason: 'bad_value', detail: /^text: must not be empty/ },
  { name: 'tts: text is a number', frames: [TTS, json({ text: 42 })], topic: TTS, reason: 'wrong_type', detail: /^text: Expected string, received number/ },
  { name: 'tts: text missing', frames: [TTS, json({ voice: 'joe' })], topic: TTS, reason: 'missing_field', detail: /^text: Required/ },
  { name: 'tts: text over 2000 characters', frames: [TTS, json({ text: `${SECRET} `.repeat(120) })], topic: TTS, reason: 'bad_value', detail: /^text: must be at most 2000 characters/ },
  { name: 'tts: a task_id with spaces', frames: [TTS, json({ text: SECRET, task_id: 'has spaces; and more' })], topic: TTS, reason: 'bad_value', detail: /^task_id: may only hold letters, digits/ },
  { name: 'tts: voice is not a string', frames: [TTS, json({ text: SECRET, voice: 7 })], topic: TTS, reason: 'wrong_type', detail: /^voice: Expected string, received number/ },
];

let t: BridgeTestEnv;
let models: { close(): Promise<void> } | undefined;
const countedAfterMs: number[] = [];

beforeAll(async () => {
  t = await BridgeTestEnv.start({
    hardware: [],
    logLevel: 'debug',
    vad: true,
    env: {
      OFFLOAD_ROUTES: 'vision.frame=cpu,voice.asr=cpu,voice.tts=cpu',
      // The answers asserted here have the test deadlines, not the robot's (frame 1 s, ASR 5 s): a result
      // past its deadline is dropped, not answered, and how fast they come is the bench's business.
      OFFLOAD_VOICE_TURN_DEADLINE_MS: String(TEST_DEADLINE_MS),
      OFFLOAD_MAX_PAYLOAD_BYTES: String(MAX_PAYLOAD_BYTES),
      OFFLOAD_ROBOT_LANGUAGE: 'en',
    },
  });
  models = await startModelSubsetWorkers(t.env, ['cpu'], ['yolox-nano', 'whisper-tiny.en', 'silero-vad']);
}, 180_000);

afterAll(async () => {
  await t?.close();
  await models?.close();
  await closeTestRuntimes();
});

async function malformedTotal(): Promise<number> {
  return t.counter('bridge_malformed_messages_total');
}

async function submittedTotal(): Promise<number> {
  return t.counter('bridge_tasks_submitted_total');
}

describe('robot messages the bridge drops', () => {
  test.each(DROPPED.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const frames = typeof c.frames === 'function' ? await c.frames() : c.frames;
    const [total, counted, submitted, logLines, answers] = [await malformedTotal(), await t.counter('bridge_malformed_messages_total', { topic: c.topic, reason: c.reason }), await submittedTotal(), t.logs.lines.length, t.robot.received.length];
    const started = performance.now();
    await t.robot.send(frames);
    await waitUntil('the bridge counted the message', async () => (await malformedTotal()) > total, 10_000);
    countedAfterMs.push(performance.now() - started);
    expect(await t.counter('bridge_malformed_messages_total', { topic: c.topic, reason: c.reason })).toBe(counted + 1);
    expect(await malformedTotal()).toBe(total + 1);
    expect(await submittedTotal()).toBe(submitted);
    const lines = t.logs.lines.slice(logLines).filter((l) => l.msg === 'dropped a malformed robot message');
    expect(lines).toEqual([expect.objectContaining({ topic: c.topic, reason: c.reason, detail: expect.stringMatching(c.detail) })]);
    expect(t.robot.received.slice(answers)).toEqual([]);
  });

  afterAll(() => {
    const sorted = [...countedAfterMs].sort((a, b) => a - b);
    console.log(`robot edge: ${DROPPED.length} named bad messages dropped and counted; send -> counted p50 ${sorted[Math.floor(sorted.length / 2)]?.toFixed(1)} ms, max ${sorted[sorted.length - 1]?.toFixed(1)} ms`);
  });
});

test('no log line holds what a bad message carried', () => {
  expect(t.logs.lines.length).toBeGreaterThan(DROPPED.length);
  expect(JSON.stringify(t.logs.lines)).not.toContain(SECRET);
});

test('frame: a JPEG cut short passes the edge, its run fails InvalidInput after one attempt, and the robot is still answered (fallback)', async () => {
  const ts = Date.now() / 1000;
  const [malformed, submitted] = [await malformedTotal(), await t.counter('bridge_tasks_submitted_total', { task_type: 'vision.frame' })];
  await t.robot.publish(FRAME, { ts, frame_jpeg: truncatedJpeg(jpegBytes).toString('base64'), size: { w: 320, h: 240 } });
  const answer = await t.robot.waitFor('vision.obstacle.enhanced', (p) => (p.meta as { request_ts?: number } | undefined)?.request_ts === ts, 60_000);
  expect(answer.payload).toMatchObject({ present: true, confidence: 0, meta: { fallback_required: true, status: 'failed', error: expect.stringMatching(/image could not be decoded/) } });
  expect(await malformedTotal()).toBe(malformed);
  expect(await t.counter('bridge_tasks_submitted_total', { task_type: 'vision.frame' })).toBe(submitted + 1);
  const handle = t.env.client.workflow.getHandle(`frame-${t.robotId}-${ts}`);
  await expect(handle.result()).rejects.toThrow(/Workflow execution failed/);
  const history = await handle.fetchHistory();
  const failure = history.events?.find((e) => e.workflowExecutionFailedEventAttributes)?.workflowExecutionFailedEventAttributes?.failure;
  expect(failure?.applicationFailureInfo).toMatchObject({ type: 'InvalidInput', nonRetryable: true });
  expect(failure?.message).toMatch(/image could not be decoded/);
  expect(activityAttempts(history.events ?? [], 'runDetectionModel')).toEqual([1]);
  // delivered once: by a local activity in the bridge on the fast path, else by an activity on its queue
  expect(calledActivities(history.events ?? []).filter((a) => a === 'deliverResult')).toHaveLength(1);
  expect(t.robot.answersTo('vision.obstacle.enhanced', { requestTs: ts })).toHaveLength(1);
}, 90_000);

const asrModel = modelGate('voice.asr');

(asrModel.installed ? test : test.skip)(`asr: a microphone at an unusual but legal rate (12345 Hz) is resampled and heard, not dropped [${asrModel.reason}]`, async () => {
  const malformed = await malformedTotal();
  const log = await streamMicrophone(t.robot, { utterances: [spoken('hello_world')], leadMs: 600, gapMs: 0, trailMs: 1200, rate: 12345 });
  try {
    const [heard] = await log.waitForResults(1, 120_000);
    console.log(`microphone at 12345 Hz: "${heard.text}"`);
    expect(heard.text).toMatch(/hello/i);
    expect(await malformedTotal()).toBe(malformed);
  } finally {
    log.stopListening();
  }
}, 180_000);

test('after all of that, valid frames are answered by the model', async () => {
  const stats = await t.settled(await t.robot.streamFrames({ fps: 2, durationMs: 2500, drainMs: 0 }));
  const unanswered = await t.unanswered(stats);
  console.log(`robot edge, valid frames afterwards: ${stats.answeredByModel}/${stats.sent} answered by the model (p50 ${stats.p50Ms} ms)${unanswered.length ? `; unanswered: ${unanswered.join('; ')}` : ''}`);
  // Each frame is answered or superseded by a newer one; the newest, with nothing newer, by the model.
  const newest = t.robot.answersTo('vision.obstacle.enhanced', { requestTs: Math.max(...stats.sentAt.keys()) });
  expect(newest.map((m) => (m.payload.meta as { fallback_required?: boolean }).fallback_required)).toEqual([false]);
  expect(stats.duplicates).toBe(0);
  for (const line of unanswered) expect(line).toMatch(/delivery superseded/);
}, 90_000);
