import { parseBusMessage, type MalformedReason } from '../../src/bridge/bus-message';
import { taskFor } from '../../src/bridge/request-tasks';
import { readRobotRequest } from '../../src/bridge/robot-requests';
import { REQUEST_TOPICS, SUBSCRIBED_TOPICS } from '../../src/bridge/topics';
import { InvalidTaskError } from '../../src/shared/errors';
import { validateTask } from '../../src/shared/validate-task';

/** A small, seedable PRNG (mulberry32): the same seed gives the same messages. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FuzzMessage {
  frames: Buffer[];
  /** How it was made (`mutation/topic`), for the figures. */
  kind: string;
}

/** Valid requests of every topic, the material the mutations start from. */
export interface FuzzBases {
  /** A small valid JPEG. */
  jpeg: Buffer;
  /** A short piece of raw PCM s16le mono at 16 kHz. */
  pcm: Buffer;
  /** Put into text fields: no log line may ever show it. */
  secret: string;
}

type Json = Record<string, unknown>;
type Topic = (typeof SUBSCRIBED_TOPICS)[number];

/**
 * The robot's timestamps the fuzz uses: a mutation that stays valid maps to the same task id as
 * others (`frame-<robot>-<ts>`), so accepted messages join existing runs instead of starting new
 * ones. They are old, so the results of fuzzed frames are never delivered over fresh ones.
 */
const TS_POOL = [1000.5, 1000.25, 1000.125, 1000.0625];
const TTS_IDS = ['fuzz-tts-a', 'fuzz-tts-b'];

/**
 * Random and mutated robot messages: byte flips, inserts, deletes and truncation of the JSON,
 * fields of the wrong type, dropped fields, random base64, huge numbers, NaN strings, nested junk,
 * wrong topics, junk and empty frames, and pure random bytes. Most break the protocol; some stay valid.
 */
export function createFuzzer(seed: number, bases: FuzzBases): () => FuzzMessage {
  const random = seededRandom(seed);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)];
  const randomBytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));

  const valid = (topic: Topic): Json => {
    const ts = pick(TS_POOL);
    if (topic === REQUEST_TOPICS.frame) return { ts, frame_jpeg: bases.jpeg.toString('base64'), size: { w: 64, h: 48 } };
    if (topic === REQUEST_TOPICS.asr) return { ts, rate: 16000, len: bases.pcm.length, chunk_pcm: bases.pcm.toString('base64') };
    return { text: `say ${bases.secret}`, voice: 'joe', ts, task_id: pick(TTS_IDS) };
  };

  const junkValue = (depth = 0): unknown => {
    switch (int(depth > 2 ? 6 : 9)) {
      case 0: return null;
      case 1: return random() < 0.5;
      case 2: return pick([0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 2, Number.MIN_VALUE, -0]);
      case 3: return pick(['', 'NaN', 'Infinity', '-Infinity', '1e999', '0x10', bases.secret, '\u0000', '\ud800']);
      case 4: return randomBytes(int(64)).toString('base64');
      case 5: return randomBytes(int(32)).toString('latin1');
      case 6: return Array.from({ length: int(4) }, () => junkValue(depth + 1));
      case 7: return Object.fromEntries(Array.from({ length: int(4) }, (_, i) => [`k${i}`, junkValue(depth + 1)]));
      default: return deepNesting(1 + int(2000));
    }
  };
  const deepNesting = (depth: number): unknown => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`);

  const field = (payload: Json) => pick(Object.keys(payload));
  const bytesOf = (payload: Json) => Buffer.from(JSON.stringify(payload));
  const message = (topic: string, body: Buffer | string, kind: string): FuzzMessage => ({ frames: [Buffer.from(topic), Buffer.from(body)], kind: `${kind}/${topic}` });

  /** Each returns a message made from a valid request of `topic`. */
  const mutations: Record<string, { weight: number; make: (topic: Topic, payload: Json) => FuzzMessage }> = {
    'flip-bytes': {
      weight: 10,
      make(topic, payload) {
        const body = bytesOf(payload);
        for (let i = 1 + int(4); i > 0; i--) body[int(body.length)] ^= 1 + int(255);
        return message(topic, body, 'flip-bytes');
      },
    },
    'insert-bytes': {
      weight: 8,
      make(topic, payload) {
        const body = bytesOf(payload);
        const at = int(body.length + 1);
        return message(topic, Buffer.concat([body.subarray(0, at), randomBytes(1 + int(8)), body.subarray(at)]), 'insert-bytes');
      },
    },
    'delete-bytes': {
      weight: 8,
      make(topic, payload) {
        const body = bytesOf(payload);
        const at = int(body.length);
        return message(topic, Buffer.concat([body.subarray(0, at), body.subarray(at + 1 + int(16))]), 'delete-bytes');
      },
    },
    truncate: {
      weight: 8,
      make: (topic, payload) => {
        const body = bytesOf(payload);
        return message(topic, body.subarray(0, int(body.length)), 'truncate');
      },
    },
    'swap-type': {
      weight: 10,
      make(topic, payload) {
        const key = field(payload);
        const value = payload[key];
        const swapped = pick<unknown>([typeof value === 'string' ? 42 : String(value), null, true, [value], { value }, junkValue()]);
        return message(topic, JSON.stringify({ ...payload, [key]: swapped }), 'swap-type');
      },
    },
    'drop-field': {
      weight: 8,
      make(topic, payload) {
        const rest = { ...payload };
        delete rest[field(payload)];
        return message(topic, JSON.stringify(rest), 'drop-field');
      },
    },
    'random-base64': {
      weight: 8,
      make(topic, payload) {
        const key = topic === REQUEST_TOPICS.frame ? 'frame_jpeg' : topic === REQUEST_TOPICS.asr ? pick(['chunk_pcm', field(payload)]) : field(payload);
        return message(topic, JSON.stringify({ ...payload, [key]: randomBytes(int(3000)).toString('base64') }), 'random-base64');
      },
    },
    'huge-number': {
      weight: 8,
      make(topic, payload) {
        const key = field(payload);
        const literal = pick(['1e400', '-1e400', '1e308', '-1e308', '123456789012345678901234567890', '9007199254740993', '-0', '0.0000000000000000000001', '1E+2']);
        return message(topic, JSON.stringify({ ...payload, [key]: '@@N@@' }).replace('"@@N@@"', literal), 'huge-number');
      },
    },
    'nan-string': {
      weight: 6,
      make(topic, payload) {
        const key = field(payload);
        const bare = random() < 0.3;
        const text = JSON.stringify({ ...payload, [key]: bare ? '@@N@@' : pick(['NaN', 'Infinity', '-Infinity', 'nan', 'undefined', 'null']) });
        return message(topic, bare ? text.replace('"@@N@@"', pick(['NaN', 'Infinity', 'undefined', '-'])) : text, 'nan-string');
      },
    },
    'nested-junk': {
      weight: 6,
      make(topic, payload) {
        const key = random() < 0.5 ? field(payload) : `junk_${int(100)}`;
        return message(topic, JSON.stringify({ ...payload, [key]: junkValue() }), 'nested-junk');
      },
    },
    'wrong-topic': {
      weight: 8,
      make(topic, payload) {
        const body = JSON.stringify(payload);
        const variants = [
          () => pick(SUBSCRIBED_TOPICS.filter((t) => t !== topic)),
          () => `${topic}${pick(['.debug', '.v2', '/', '_', '\u0000', ' '])}`,
          () => topic.toUpperCase(),
          () => topic.slice(0, 1 + int(topic.length - 1)),
          () => `x${topic}`,
          () => pick(['vision.obstacle.enhanced', 'voice.asr.result', 'telemetry.task.completed', '']),
        ];
        return message(pick(variants)(), body, 'wrong-topic');
      },
    },
    'multi-frame': {
      weight: 6,
      make(topic, payload) {
        const body = bytesOf(payload);
        if (random() < 0.5) {
          // the payload split over frames: joined again it is the same JSON
          const cuts = [0, ...Array.from({ length: 1 + int(3) }, () => int(body.length)).sort((a, b) => a - b), body.length];
          return { frames: [Buffer.from(topic), ...cuts.slice(1).map((end, i) => body.subarray(cuts[i], end))], kind: `multi-frame-split/${topic}` };
        }
        return { frames: [Buffer.from(topic), body, ...Array.from({ length: 1 + int(3) }, () => randomBytes(int(64)))], kind: `multi-frame-junk/${topic}` };
      },
    },
    'empty-frames': {
      weight: 4,
      make(topic, payload) {
        const frames = pick([[topic], [topic, ''], [topic, '', ''], [''], [topic, '', JSON.stringify(payload)], [`${topic} `]]);
        return { frames: frames.map((f) => Buffer.from(f)), kind: `empty-frames/${topic}` };
      },
    },
    'single-frame': {
      weight: 3,
      make(topic, payload) {
        const separator = pick([' ', '\t', '\n', '', '  ']);
        return { frames: [Buffer.from(`${topic}${separator}${JSON.stringify(payload)}`)], kind: `single-frame/${topic}` };
      },
    },
    'extra-field': {
      weight: 2,
      make: (topic, payload) => message(topic, JSON.stringify({ ...payload, [`extra_${int(10)}`]: junkValue() }), 'extra-field'),
    },
    oversized: {
      weight: 0.1,
      make(topic, payload) {
        const key = topic === REQUEST_TOPICS.frame ? 'frame_jpeg' : topic === REQUEST_TOPICS.asr ? 'chunk_pcm' : 'text';
        return message(topic, JSON.stringify({ ...payload, [key]: Buffer.alloc(1_600_000 + int(400_000)).toString('base64') }), 'oversized');
      },
    },
  };

  const randomMessage = (): FuzzMessage => {
    const frames = Array.from({ length: 1 + int(3) }, () => randomBytes(int(512)));
    if (random() < 0.6) frames[0] = Buffer.concat([Buffer.from(pick(SUBSCRIBED_TOPICS)), frames[0]]);
    return { frames, kind: 'random-bytes' };
  };

  const entries = Object.values(mutations);
  const totalWeight = entries.reduce((sum, m) => sum + m.weight, 0);
  return () => {
    if (random() < 0.1) return randomMessage();
    let roll = random() * totalWeight;
    const mutation = entries.find((m) => (roll -= m.weight) < 0) ?? entries[0];
    const topic = pick(SUBSCRIBED_TOPICS);
    return mutation.make(topic, valid(topic));
  };
}

/** `accepted.taskType` of a microphone chunk: no task of its own, it goes to the voice front door. */
export const VOICE_CHUNK = 'voice.chunk';

/** What the bridge must do with a message (the robot bus only hands it messages whose first frame starts with a subscribed topic). */
export type ExpectedOutcome =
  | { addressed: false }
  | { addressed: true; parsedTopic?: Topic; dropped: { topic: string; reason: MalformedReason } }
  | { addressed: true; parsedTopic: Topic; accepted: { taskId: string; taskType: string } };

export interface OutcomeLimits {
  maxPayloadBytes: number;
  /** Largest bus payload the bridge reads (the bridge allows base64 of `maxPayloadBytes` plus the envelope). */
  maxPayloadChars: number;
  robotId: string;
}

/** The protocol's verdict on one message, from the bridge's own readers (what it counts must add up to this). */
export function expectedOutcome(frames: Buffer[], limits: OutcomeLimits): ExpectedOutcome {
  const first = frames[0] ?? Buffer.alloc(0);
  if (!SUBSCRIBED_TOPICS.some((t) => first.subarray(0, t.length).equals(Buffer.from(t)))) return { addressed: false };
  const message = parseBusMessage(frames, limits.maxPayloadChars);
  if (!message.ok) return { addressed: true, dropped: { topic: message.topic, reason: message.reason } };
  const request = readRobotRequest(message, limits.maxPayloadBytes);
  if ('ok' in request) return { addressed: true, parsedTopic: message.topic, dropped: { topic: request.topic, reason: request.reason } };
  if (request.kind === 'asr') return { addressed: true, parsedTopic: message.topic, accepted: { taskId: `voice-chunk-${request.ts}`, taskType: VOICE_CHUNK } };
  const task = taskFor(request, limits.robotId, Date.now());
  try {
    validateTask(task, { maxPayloadBytes: limits.maxPayloadBytes, newTaskId: () => task.task_id });
  } catch (err) {
    if (err instanceof InvalidTaskError) return { addressed: true, parsedTopic: message.topic, dropped: { topic: message.topic, reason: 'bad_value' } };
    throw err;
  }
  return { addressed: true, parsedTopic: message.topic, accepted: { taskId: task.task_id, taskType: task.task_type } };
}
