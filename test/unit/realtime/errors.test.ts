import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RealtimeError } from 'openai/resources/realtime/realtime';
import { protocolError, REALTIME_ERRORS, type RealtimeErrorCode } from '../../../src/api/realtime/errors';

const DOC = join(__dirname, '..', '..', '..', '..', 'docs', 'realtime-errors.md');

/** The table docs/realtime-errors.md must hold, row for row. */
function errorTable(): string {
  const rows = Object.entries(REALTIME_ERRORS).map(([code, { type, when }]) => `| \`${code}\` | \`${type}\` | ${when} |`);
  return ['| code | type | sent when |', '|---|---|---|', ...rows].join('\n');
}

test('docs/realtime-errors.md shows the table of src/api/realtime/errors.ts as it is', () => {
  const doc = readFileSync(DOC, 'utf8');
  const table = doc.slice(doc.indexOf('| code |'), doc.indexOf('<!-- end of table -->')).trim();
  expect(table).toBe(errorTable());
});

test('every code has one of the four types of the API', () => {
  const types = new Set(Object.values(REALTIME_ERRORS).map((e) => e.type));
  expect([...types].sort()).toEqual(['authentication_error', 'invalid_request_error', 'rate_limit_error', 'server_error']);
  for (const code of Object.keys(REALTIME_ERRORS)) expect(code).toMatch(/^[a-z0-9_]+$/);
});

test('a protocol error is the package`s RealtimeError, with the type of its code and nulls where nothing applies', () => {
  const error: RealtimeError = protocolError('session_limit_reached', 'All 4 sessions are open.');
  expect(error).toEqual({ type: 'rate_limit_error', code: 'session_limit_reached', message: 'All 4 sessions are open.', param: null, event_id: null });
  const codes: RealtimeErrorCode[] = ['invalid_api_key', 'server_error'];
  expect(codes.map((c) => protocolError(c, 'x', { param: 'p', eventId: 'e' }).type)).toEqual(['authentication_error', 'server_error']);
});
