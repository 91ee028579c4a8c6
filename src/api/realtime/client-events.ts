import { z } from 'zod';
import { CLIENT_EVENT_SCHEMAS, type ClientEvent, type ClientEventType } from './client-event-schemas';
import { protocolError, type ProtocolError, type RealtimeErrorCode } from './errors';

export type { ClientEvent, ClientEventOf, ClientEventType } from './client-event-schemas';

export type ParsedClientEvent = { ok: true; event: ClientEvent } | { ok: false; error: ProtocolError };

/**
 * One WebSocket text message from a Realtime client: the typed event, or the `invalid_request_error`
 * to answer it with (its `param` names the field, its `event_id` is the client's when it gave one).
 */
export function parseClientEvent(message: string): ParsedClientEvent {
  let raw: unknown;
  try {
    raw = JSON.parse(message);
  } catch {
    return fail('invalid_json', "We could not parse the JSON body of your request: the message is not valid JSON.");
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail('invalid_json', `The message must be a JSON object, got ${jsonType(raw)}.`);
  const fields = raw as Record<string, unknown>;
  const eventId = typeof fields.event_id === 'string' ? fields.event_id : null;
  if (fields.type === undefined) return fail('missing_required_parameter', "Missing required parameter: 'type'.", 'type', eventId);
  if (typeof fields.type !== 'string') return fail('invalid_type', `Invalid type for 'type': expected a string, but got ${jsonType(fields.type)} instead.`, 'type', eventId);
  if (!isClientEventType(fields.type)) return fail('unknown_event', `Invalid value: '${fields.type}'. Supported values are: ${quoteAll(Object.keys(CLIENT_EVENT_SCHEMAS))}.`, 'type', eventId);
  const parsed = CLIENT_EVENT_SCHEMAS[fields.type].safeParse(raw);
  if (parsed.success) return { ok: true, event: parsed.data as ClientEvent };
  return { ok: false, error: errorFromIssue(mostSpecific(parsed.error.issues[0]), raw, eventId) };
}

function isClientEventType(type: string): type is ClientEventType {
  return Object.hasOwn(CLIENT_EVENT_SCHEMAS, type);
}

/** Of a union's branches, the one that got furthest into the value says best what is wrong. */
function mostSpecific(issue: z.ZodIssue): z.ZodIssue {
  if (issue.code !== z.ZodIssueCode.invalid_union) return issue;
  const candidates = issue.unionErrors.map((e) => mostSpecific(e.issues[0]));
  return candidates.reduce((best, c) => (c.path.length > best.path.length ? c : best));
}

function errorFromIssue(issue: z.ZodIssue, raw: unknown, eventId: string | null): ProtocolError {
  const param = paramOf(issue.path);
  const at = (code: RealtimeErrorCode, message: string, where = param) => protocolError(code, message, { param: where, eventId });
  if (issue.code === z.ZodIssueCode.invalid_type) {
    return issue.received === 'undefined'
      ? at('missing_required_parameter', `Missing required parameter: '${param}'.`)
      : at('invalid_type', `Invalid type for '${param}': expected ${article(issue.expected)}, but got ${jsonType(valueAt(raw, issue.path))} instead.`);
  }
  if (issue.code === z.ZodIssueCode.unrecognized_keys) {
    const unknown = paramOf([...issue.path, issue.keys[0]]);
    return at('unknown_parameter', `Unknown parameter: '${unknown}'.`, unknown);
  }
  if (issue.code === z.ZodIssueCode.invalid_union_discriminator || issue.code === z.ZodIssueCode.invalid_enum_value || issue.code === z.ZodIssueCode.invalid_literal) {
    const value = valueAt(raw, issue.path);
    if (value === undefined) return at('missing_required_parameter', `Missing required parameter: '${param}'.`);
    const options = issue.code === z.ZodIssueCode.invalid_literal ? [issue.expected] : issue.options;
    return at('invalid_value', `Invalid value: ${JSON.stringify(value)}. Supported values are: ${quoteAll(options)}.`);
  }
  if (issue.code === z.ZodIssueCode.custom) return at((issue.params?.code as RealtimeErrorCode | undefined) ?? 'invalid_value', `Invalid '${param}': ${issue.message}.`);
  return at('invalid_value', `Invalid '${param}': ${issue.message.replace(/\.$/, '')}.`);
}

/** `session.audio.input.format.rate`, `item.content[0].type`: the API's way of naming a field. */
function paramOf(path: (string | number)[]): string {
  return path.reduce<string>((name, key) => (typeof key === 'number' ? `${name}[${key}]` : name ? `${name}.${key}` : key), '');
}

function valueAt(raw: unknown, path: (string | number)[]): unknown {
  return path.reduce<unknown>((value, key) => (typeof value === 'object' && value !== null ? (value as Record<string | number, unknown>)[key] : undefined), raw);
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a decimal';
  if (typeof value === 'object') return 'an object';
  return article(typeof value);
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function quoteAll(values: readonly unknown[]): string {
  return values.map((v) => `'${String(v)}'`).join(', ');
}

function fail(code: RealtimeErrorCode, message: string, param?: string, eventId?: string | null): ParsedClientEvent {
  return { ok: false, error: protocolError(code, message, { param, eventId }) };
}
