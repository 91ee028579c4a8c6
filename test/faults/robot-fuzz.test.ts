import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { fixturePath } from '../harness/fixtures';
import { robotFrames } from '../harness/robot-simulator';
import { closeTestRuntimes } from '../harness/test-runtime';
import { BridgeTestEnv } from '../harness/bridge-env';
import { faultScale } from '../harness/fault-scale';
import { startModelSubsetWorkers } from '../harness/fault-support';
import { waitUntil } from '../harness/poll-until';
import { createFuzzer, expectedOutcome, type ExpectedOutcome } from '../harness/robot-fuzz-messages';

/**
 * `faultScale().fuzzMessages` random and mutated robot messages through the real broker to one
 * running bridge while the robot streams valid frames at 5 fps. Every message the bus hands the
 * bridge has exactly one outcome: dropped and counted under its reason, or accepted as a task;
 * the bridge stays up, the frames keep being answered, and the log stays small.
 * `OFFLOAD_FUZZ_SEED=<n>` repeats a run.
 */
const scale = faultScale();
const seed = Number(process.env.OFFLOAD_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const SECRET = 'SECRET-FUZZ-WORDS';
const MAX_PAYLOAD_BYTES = 1024 * 1024;
/** Messages in flight at most: well under every ZeroMQ high-water mark on the way (1000), so none is dropped by the bus. */
const BATCH = 100;
/**
 * A batch takes at least this long (at most 400 messages/s): the fuzz, the bridge, Temporal and the
 * model share two cores here, and the frames streamed meanwhile are judged as the robot would see them.
 */
const MIN_BATCH_MS = 250;
const STREAM_FPS = 5;
/** The camera streams at least this long (the reduced fuzz is over in a few seconds). */
const MIN_STREAM_MS = 6000;

let t: BridgeTestEnv;
let models: { close(): Promise<void> } | undefined;

beforeAll(async () => {
  t = await BridgeTestEnv.start({
    hardware: [],
    // Frames have the test deadline, not the robot's 1 s: on a machine busy with the fuzz a 1 s budget
    // can leave every frame stale, which says nothing about the bridge.
    env: {
      OFFLOAD_ROUTES: 'vision.frame=cpu,voice.asr=cpu,voice.tts=cpu',
      OFFLOAD_MAX_PAYLOAD_BYTES: String(MAX_PAYLOAD_BYTES),
    },
  });
  // Detection only: accepted speech requests are answered fallback_required (no model), cheaply.
  models = await startModelSubsetWorkers(t.env, ['cpu'], ['yolox-nano']);
}, 180_000);

afterAll(async () => {
  await t?.close();
  await models?.close();
  await closeTestRuntimes();
});

/** Bridge counters, summed over the given label values. */
async function counters() {
  const metrics = await t.registry.getMetricsAsJSON();
  const series = (name: string) => metrics.find((m) => m.name === name)?.values ?? [];
  const malformed = new Map<string, number>();
  for (const v of series('bridge_malformed_messages_total')) malformed.set(`${v.labels.topic}|${v.labels.reason}`, v.value);
  const received = new Map<string, number>();
  for (const v of series('bridge_messages_received_total')) received.set(String(v.labels.topic), v.value);
  const sum = (name: string) => series(name).reduce((s, v) => s + v.value, 0);
  return {
    malformed,
    malformedTotal: sum('bridge_malformed_messages_total'),
    received,
    accepted: sum('bridge_tasks_submitted_total') + sum('bridge_submit_failures_total') + sum('bridge_voice_chunks_total'),
  };
}
type Counters = Awaited<ReturnType<typeof counters>>;

function delta(after: Map<string, number>, before: Map<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [key, value] of after) if (value - (before.get(key) ?? 0) !== 0) out.set(key, value - (before.get(key) ?? 0));
  return out;
}

const sorted = (map: Map<string, number>) => Object.fromEntries([...map.entries()].sort(([a], [b]) => a.localeCompare(b)));
const add = (map: Map<string, number>, key: string, n = 1) => map.set(key, (map.get(key) ?? 0) + n);

test(`${scale.fuzzMessages} random and mutated robot messages: each dropped with a reason or accepted, none lost; the bridge stays up and frames keep being answered`, async () => {
  console.log(`robot fuzz: seed ${seed} (repeat with OFFLOAD_FUZZ_SEED=${seed}), ${scale.fuzzMessages} messages`);
  const jpeg = await sharp(readFileSync(fixturePath('images/dog_320x240.jpg'))).resize(64, 48).jpeg().toBuffer();
  const pcm = readFileSync(fixturePath('audio/hello_world.s16le.pcm')).subarray(0, 8000);
  const next = createFuzzer(seed, { jpeg, pcm, secret: SECRET });
  const limits = { maxPayloadBytes: MAX_PAYLOAD_BYTES, maxPayloadChars: Math.ceil((MAX_PAYLOAD_BYTES * 4) / 3) + 64 * 1024, robotId: t.robotId };

  const before = await counters();
  const logLinesBefore = t.logs.lines.length;
  const expectedDropped = new Map<string, number>();
  const expectedReceived = new Map<string, number>();
  const acceptedByType = new Map<string, number>();
  const kinds = new Map<string, number>();
  const acceptedIds = new Set<string>();
  const acceptedFrameIds = new Set<string>();
  let addressed = 0;
  let filtered = 0;
  let expectedMalformed = 0;
  let expectedAccepted = 0;
  let bytes = 0;
  const record = (outcome: ExpectedOutcome) => {
    if (!outcome.addressed) return void (filtered += 1);
    addressed += 1;
    if (outcome.parsedTopic) add(expectedReceived, outcome.parsedTopic);
    if ('dropped' in outcome) {
      expectedMalformed += 1;
      add(expectedDropped, `${outcome.dropped.topic}|${outcome.dropped.reason}`);
    } else {
      expectedAccepted += 1;
      add(acceptedByType, outcome.accepted.taskType);
      acceptedIds.add(outcome.accepted.taskId);
      if (outcome.accepted.taskType === 'vision.frame') acceptedFrameIds.add(outcome.accepted.taskId);
    }
  };

  // The robot's camera meanwhile: valid frames at 5 fps until the fuzz is over.
  const images = robotFrames();
  const frameSentAt = new Map<number, number>();
  let streaming = true;
  let lastTs = 0;
  const stream = (async () => {
    const started = performance.now();
    for (let i = 0; streaming || performance.now() - started < MIN_STREAM_MS; i++) {
      const wait = started + (i * 1000) / STREAM_FPS - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const ts = Math.max(Date.now() / 1000, lastTs + 0.001);
      lastTs = ts;
      frameSentAt.set(ts, performance.now());
      await t.robot.publish('vision.frame.offload', { ts, frame_jpeg: images[i % images.length].toString('base64'), size: { w: 320, h: 240 } });
    }
  })();

  const describeGap = async (now: Counters) =>
    `expected malformed ${expectedMalformed}, counted ${now.malformedTotal - before.malformedTotal}; by reason expected ${JSON.stringify(sorted(expectedDropped))}, counted ${JSON.stringify(sorted(delta(now.malformed, before.malformed)))}`;
  const fuzzStarted = performance.now();
  let fuzzMs = 0;
  let waitedMs = 0;
  try {
    for (let sent = 0; sent < scale.fuzzMessages; ) {
      const batch = Math.min(BATCH, scale.fuzzMessages - sent);
      const batchStarted = performance.now();
      for (let i = 0; i < batch; i++) {
        const message = next();
        add(kinds, message.kind.split('/')[0]);
        bytes += message.frames.reduce((s, f) => s + f.length, 0);
        record(expectedOutcome(message.frames, limits));
        await t.robot.send(message.frames);
      }
      sent += batch;
      // Pace: the next batch only once the bridge has read this one (its drops are counted synchronously).
      const waitStarted = performance.now();
      await waitUntil(`the bridge read the messages up to #${sent}`, async () => (await counters()).malformedTotal - before.malformedTotal >= expectedMalformed, 30_000, async () => describeGap(await counters()));
      waitedMs += performance.now() - waitStarted;
      const rest = batchStarted + MIN_BATCH_MS - performance.now();
      if (rest > 0) await new Promise((r) => setTimeout(r, rest));
    }
    fuzzMs = performance.now() - fuzzStarted;
  } finally {
    streaming = false;
    await stream;
  }
  await new Promise((r) => setTimeout(r, 2000));
  const framesStreamed = frameSentAt.size;

  // Every addressed message has exactly one outcome: a counted drop, or a task (started, joined, or answered fallback when it could not start).
  await waitUntil('every accepted message became a task', async () => (await counters()).accepted - before.accepted >= expectedAccepted + framesStreamed, 60_000, async () => {
    const now = await counters();
    return `accepted ${now.accepted - before.accepted}, expected ${expectedAccepted} fuzz + ${framesStreamed} frames`;
  });
  await new Promise((r) => setTimeout(r, 1000));
  const after = await counters();
  const dropped = after.malformedTotal - before.malformedTotal;
  const accepted = after.accepted - before.accepted - framesStreamed;
  const stats = await t.settled(t.robot.frameStats(frameSentAt));
  const unanswered = await t.unanswered(stats);
  const logLines = t.logs.lines.slice(logLinesBefore);
  const dropLines = logLines.filter((l) => l.msg === 'dropped a malformed robot message');
  const droppedByReason = new Map<string, number>();
  for (const [key, n] of delta(after.malformed, before.malformed)) add(droppedByReason, key.split('|')[1], n);

  console.log(
    [
      `robot fuzz figures (seed ${seed}):`,
      `  sent ${scale.fuzzMessages} (${(bytes / 1e6).toFixed(1)} MB) in ${Math.round(fuzzMs)} ms (${Math.round(waitedMs)} ms of it waiting for the bridge to catch up); ${addressed} reached the bridge, ${filtered} filtered by the bus (no subscribed topic)`,
      `  dropped ${dropped} (expected ${expectedMalformed}); by reason ${JSON.stringify(sorted(droppedByReason))}`,
      `  accepted ${accepted} (expected ${expectedAccepted}): ${JSON.stringify(sorted(acceptedByType))}, ${acceptedIds.size} distinct task ids`,
      `  made by ${JSON.stringify(sorted(kinds))}`,
      `  valid frames meanwhile: ${stats.sent} sent, ${stats.answered} answered (${stats.answeredByModel} by the model), ${stats.duplicates} twice, p50 ${stats.p50Ms} ms, p95 ${stats.p95Ms} ms`,
      `  log: ${logLines.length} lines while fuzzing, ${dropLines.length} of them 'dropped a malformed robot message'`,
    ].join('\n'),
  );
  if (unanswered.length) console.log(`unanswered frames: ${unanswered.slice(0, 10).join('\n')}`);

  // Nothing lost, nothing counted twice: received = dropped + accepted, reason by reason.
  expect(dropped + accepted).toBe(addressed);
  expect(sorted(delta(after.malformed, before.malformed))).toEqual(sorted(expectedDropped));
  expect(accepted).toBe(expectedAccepted);
  const receivedFrames = (after.received.get('vision.frame.offload') ?? 0) - (before.received.get('vision.frame.offload') ?? 0);
  expect(sorted(delta(after.received, before.received))).toEqual(sorted(new Map([...expectedReceived, ['vision.frame.offload', (expectedReceived.get('vision.frame.offload') ?? 0) + framesStreamed]])));
  expect(receivedFrames).toBeGreaterThanOrEqual(framesStreamed);

  // No message made the bridge fail: its catch-all for handler errors never fired, and every drop says why.
  expect(logLines.filter((l) => /could not be handled|receive loop failed/.test(String(l.msg)))).toEqual([]);
  for (const line of dropLines) expect(line).toMatchObject({ topic: expect.any(String), reason: expect.any(String), detail: expect.stringMatching(/\S/) });
  expect(JSON.stringify(logLines)).not.toContain(SECRET);
  // One warning per topic and reason every 10 s, however many messages.
  const keys = new Set(dropLines.map((l) => `${String(l.topic)}|${String(l.reason)}`));
  expect(dropLines.length).toBeLessThanOrEqual(keys.size * (Math.ceil(fuzzMs / 10_000) + 1));

  // Every valid frame streamed meanwhile was answered once, or its run says why not (a newer frame): none
  // lost. How many make it within the robot's 1 s is speed, the bench's business.
  expect(stats.duplicates).toBe(0);
  for (const line of unanswered) expect(line).toMatch(/delivery superseded/);

  // And the bridge still answers a fresh frame, once the frames the fuzz got accepted are done with (a newer one could supersede it).
  await Promise.all([...acceptedFrameIds].map((id) => t.env.client.workflow.getHandle(id).result().catch(() => undefined)));
  const ts = Date.now() / 1000;
  await t.robot.publish('vision.frame.offload', { ts, frame_jpeg: images[0].toString('base64'), size: { w: 320, h: 240 } });
  const fresh = await t.settled(t.robot.frameStats(new Map([[ts, performance.now()]])));
  expect(fresh).toMatchObject({ answered: 1, answeredByModel: 1 });
}, 900_000);
