import { isRequestTopic, SUBSCRIBED_TOPICS, type RequestTopic } from './topics';

/** Why a message from the robot was dropped (the `reason` label of `bridge_malformed_messages_total`). */
export type MalformedReason =
  | 'unknown_topic'
  | 'no_payload'
  | 'oversized'
  | 'not_json'
  | 'not_object'
  | 'missing_field'
  | 'wrong_type'
  | 'bad_value'
  | 'bad_base64'
  | 'not_jpeg';

export interface Malformed {
  ok: false;
  /** The request topic the message came on, or `other`. */
  topic: RequestTopic | 'other';
  reason: MalformedReason;
  /** What is wrong, naming the field; never the payload's content. */
  detail: string;
}

export interface BusMessage {
  ok: true;
  topic: RequestTopic;
  payload: Record<string, unknown>;
}

/**
 * Reads one message of the robot bus: multipart [topic, JSON]; a single frame is payload only,
 * which reaches a prefix subscriber only as `<topic> <JSON>` (the form some robot processes send).
 * Further frames are joined to the payload, as the robot's own readers do.
 */
export function parseBusMessage(frames: Buffer[], maxPayloadChars: number): BusMessage | Malformed {
  const split = splitFrames(frames);
  if ('reason' in split) return { ok: false, ...split };
  const { topic, body } = split;
  if (body.length === 0) return { ok: false, topic, reason: 'no_payload', detail: 'the payload frame is empty' };
  if (body.length > maxPayloadChars) {
    return { ok: false, topic, reason: 'oversized', detail: `payload is ${body.length} bytes, over the ${maxPayloadChars}-byte limit` };
  }
  let payload: unknown;
  try {
    payload = JSON.parse(body.toString('utf8'));
  } catch (err) {
    // The parser's message quotes the payload: only its position may be logged.
    const at = err instanceof Error ? /position (\d+)/.exec(err.message)?.[1] : undefined;
    return { ok: false, topic, reason: 'not_json', detail: `payload (${body.length} bytes) is not JSON${at ? `: syntax error at byte ${at}` : ''}` };
  }
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    return { ok: false, topic, reason: 'not_object', detail: `payload is ${payload === null ? 'null' : Array.isArray(payload) ? 'an array' : typeof payload}, not a JSON object` };
  }
  return { ok: true, topic, payload: payload as Record<string, unknown> };
}

type Split = { topic: RequestTopic; body: Buffer } | Omit<Malformed, 'ok'>;

function splitFrames(frames: Buffer[]): Split {
  if (frames.length >= 2) {
    const topic = frames[0].toString('utf8');
    if (!isRequestTopic(topic)) return { topic: 'other', reason: 'unknown_topic', detail: `topic "${printable(topic)}" is not one the bridge serves` };
    return { topic, body: frames.length === 2 ? frames[1] : Buffer.concat(frames.slice(1)) };
  }
  const single = frames[0] ?? Buffer.alloc(0);
  const topic = SUBSCRIBED_TOPICS.find((t) => single.subarray(0, t.length).toString('utf8') === t);
  if (!topic) return { topic: 'other', reason: 'unknown_topic', detail: 'single-frame message without a known topic' };
  const rest = single.subarray(topic.length);
  if (rest.length === 0 || !/\s/.test(String.fromCharCode(rest[0]))) {
    return rest.length === 0
      ? { topic, reason: 'no_payload', detail: 'single-frame message holds a topic and no payload' }
      : { topic: 'other', reason: 'unknown_topic', detail: `topic "${printable(single.subarray(0, topic.length + 16).toString('utf8'))}…" is not one the bridge serves` };
  }
  return { topic, body: rest.subarray(1) };
}

function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, 64);
}
