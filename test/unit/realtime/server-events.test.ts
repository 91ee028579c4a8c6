import type { RealtimeServerEvent, SessionCreatedEvent } from 'openai/resources/realtime/realtime';
import { protocolError } from '../../../src/api/realtime/errors';
import { defaultSession, sessionResource } from '../../../src/api/realtime/session-config';
import {
  assistantItem,
  contentPart,
  newId,
  responseResource,
  serverEvent,
  SERVER_EVENT_TYPES,
  userAudioItem,
  type ServerEventOf,
  type ServerEventType,
} from '../../../src/api/realtime/server-events';

const session = defaultSession({ id: 'sess_1', model: 'gpt-realtime', expiresAt: 1_800_000_000, instructions: 'Odpowiadaj krótko po polsku.', voice: 'pl_PL-gosia-medium' });
const settings = { output_modalities: session.output_modalities, max_output_tokens: session.max_output_tokens, format: session.audio.output.format, voice: session.audio.output.voice };
const at = { response_id: 'resp_1', item_id: 'item_2', output_index: 0, content_index: 0 };
const inProgress = responseResource({ id: 'resp_1', conversationId: 'conv_1', status: 'in_progress', output: [], settings });
const done = responseResource({
  id: 'resp_1',
  conversationId: 'conv_1',
  status: 'completed',
  output: [assistantItem('item_2', 'audio', { status: 'completed', text: 'Jadę do kuchni.' })],
  settings,
  usage: { total_tokens: 30, input_tokens: 20, output_tokens: 10 },
});

/** One of each: a `Record` over the list, so a type added to SERVER_EVENT_TYPES without an example does not compile. */
const EXAMPLES: { [T in ServerEventType]: () => ServerEventOf<T> } = {
  error: () => serverEvent('error', { error: protocolError('invalid_value', "Invalid 'item_id'.", { param: 'item_id', eventId: 'evt_1' }) }),
  'session.created': () => serverEvent('session.created', { session: sessionResource(session) }),
  'session.updated': () => serverEvent('session.updated', { session: sessionResource(session) }),
  'conversation.item.added': () => serverEvent('conversation.item.added', { previous_item_id: null, item: userAudioItem('item_1') }),
  'conversation.item.done': () => serverEvent('conversation.item.done', { previous_item_id: null, item: userAudioItem('item_1', 'Jedź do kuchni') }),
  'conversation.item.retrieved': () => serverEvent('conversation.item.retrieved', { item: userAudioItem('item_1', 'Jedź do kuchni') }),
  'conversation.item.truncated': () => serverEvent('conversation.item.truncated', { item_id: 'item_2', content_index: 0, audio_end_ms: 640 }),
  'conversation.item.deleted': () => serverEvent('conversation.item.deleted', { item_id: 'item_1' }),
  'conversation.item.input_audio_transcription.delta': () => serverEvent('conversation.item.input_audio_transcription.delta', { item_id: 'item_1', content_index: 0, delta: 'Jedź' }),
  'conversation.item.input_audio_transcription.completed': () =>
    serverEvent('conversation.item.input_audio_transcription.completed', { item_id: 'item_1', content_index: 0, transcript: 'Jedź do kuchni', usage: { type: 'duration', seconds: 1.2 } }),
  'conversation.item.input_audio_transcription.failed': () =>
    serverEvent('conversation.item.input_audio_transcription.failed', { item_id: 'item_1', content_index: 0, error: { type: 'server_error', code: 'model_unavailable', message: 'no recogniser', param: 'audio' } }),
  'input_audio_buffer.committed': () => serverEvent('input_audio_buffer.committed', { item_id: 'item_1', previous_item_id: null }),
  'input_audio_buffer.cleared': () => serverEvent('input_audio_buffer.cleared', {}),
  'input_audio_buffer.speech_started': () => serverEvent('input_audio_buffer.speech_started', { item_id: 'item_1', audio_start_ms: 224 }),
  'input_audio_buffer.speech_stopped': () => serverEvent('input_audio_buffer.speech_stopped', { item_id: 'item_1', audio_end_ms: 896 }),
  'input_audio_buffer.timeout_triggered': () => serverEvent('input_audio_buffer.timeout_triggered', { item_id: 'item_3', audio_start_ms: 4000, audio_end_ms: 9000 }),
  'output_audio_buffer.started': () => serverEvent('output_audio_buffer.started', { response_id: 'resp_1' }),
  'output_audio_buffer.stopped': () => serverEvent('output_audio_buffer.stopped', { response_id: 'resp_1' }),
  'output_audio_buffer.cleared': () => serverEvent('output_audio_buffer.cleared', { response_id: 'resp_1' }),
  'response.created': () => serverEvent('response.created', { response: inProgress }),
  'response.done': () => serverEvent('response.done', { response: done }),
  'response.output_item.added': () => serverEvent('response.output_item.added', { response_id: 'resp_1', output_index: 0, item: assistantItem('item_2', 'audio', { status: 'in_progress' }) }),
  'response.output_item.done': () =>
    serverEvent('response.output_item.done', { response_id: 'resp_1', output_index: 0, item: assistantItem('item_2', 'audio', { status: 'completed', text: 'Jadę do kuchni.' }) }),
  'response.content_part.added': () => serverEvent('response.content_part.added', { ...at, part: contentPart('audio') }),
  'response.content_part.done': () => serverEvent('response.content_part.done', { ...at, part: contentPart('audio', 'Jadę do kuchni.') }),
  'response.output_text.delta': () => serverEvent('response.output_text.delta', { ...at, delta: 'Jadę' }),
  'response.output_text.done': () => serverEvent('response.output_text.done', { ...at, text: 'Jadę do kuchni.' }),
  'response.output_audio.delta': () => serverEvent('response.output_audio.delta', { ...at, delta: Buffer.alloc(960).toString('base64') }),
  'response.output_audio.done': () => serverEvent('response.output_audio.done', at),
  'response.output_audio_transcript.delta': () => serverEvent('response.output_audio_transcript.delta', { ...at, delta: 'Jadę ' }),
  'response.output_audio_transcript.done': () => serverEvent('response.output_audio_transcript.done', { ...at, transcript: 'Jadę do kuchni.' }),
  'response.function_call_arguments.delta': () => serverEvent('response.function_call_arguments.delta', { response_id: 'resp_1', item_id: 'item_4', output_index: 1, call_id: 'call_1', delta: '{"pl' }),
  'response.function_call_arguments.done': () =>
    serverEvent('response.function_call_arguments.done', { response_id: 'resp_1', item_id: 'item_4', output_index: 1, call_id: 'call_1', name: 'go_to', arguments: '{"place":"kuchnia"}' }),
  'rate_limits.updated': () => serverEvent('rate_limits.updated', { rate_limits: [{ name: 'requests', limit: 60, remaining: 59, reset_seconds: 1 }] }),
};

test.each(SERVER_EVENT_TYPES.map((type) => [type]))('%s: its type, a fresh event id, and a JSON round trip that changes nothing', (type) => {
  const event: RealtimeServerEvent = EXAMPLES[type]();
  expect(event.type).toBe(type);
  expect('event_id' in event && event.event_id).toMatch(/^event_[A-Za-z0-9]{20}$/);
  expect(JSON.parse(JSON.stringify(event))).toEqual(event);
  expect(EXAMPLES[type]()).not.toHaveProperty('event_id', 'event_id' in event ? event.event_id : undefined);
});

test('every type listed is a server event of the package, listed once', () => {
  expect(new Set(SERVER_EVENT_TYPES).size).toBe(SERVER_EVENT_TYPES.length);
  expect(Object.keys(EXAMPLES).sort()).toEqual([...SERVER_EVENT_TYPES].sort());
});

// Not also a RealtimeSessionCreateResponse: that type has no custom voice ({ id }), which a session may have.
test('a session.created carries the session resource, with what is off left out', () => {
  const resource = sessionResource(session);
  const created: SessionCreatedEvent = EXAMPLES['session.created']();
  expect(created.session).toEqual(resource);
  expect(resource).toMatchObject({ id: 'sess_1', object: 'realtime.session', type: 'realtime', audio: { input: { format: { type: 'audio/pcm', rate: 24000 } } } });
  expect(resource.audio?.input).not.toHaveProperty('transcription');
});

test('a response: in progress with no output; done with its items; a custom voice is named by its id', () => {
  expect(inProgress).toEqual({
    id: 'resp_1',
    object: 'realtime.response',
    conversation_id: 'conv_1',
    status: 'in_progress',
    output: [],
    output_modalities: ['audio'],
    max_output_tokens: 'inf',
    audio: { output: { format: { type: 'audio/pcm', rate: 24000 }, voice: 'pl_PL-gosia-medium' } },
    metadata: null,
  });
  expect(done.output?.[0]).toMatchObject({ type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_audio', transcript: 'Jadę do kuchni.' }] });
  const custom = responseResource({ id: 'resp_2', conversationId: 'conv_1', status: 'cancelled', statusDetails: { type: 'cancelled', reason: 'turn_detected' }, output: [], settings: { ...settings, voice: { id: 'voice_1234' } } });
  expect(custom.audio?.output?.voice).toBe('voice_1234');
  expect(custom.status_details).toEqual({ type: 'cancelled', reason: 'turn_detected' });
});

test('ids are the API`s: prefix, underscore, 20 letters and digits, never the same twice', () => {
  const ids = new Set(Array.from({ length: 200 }, () => newId('item')));
  expect(ids.size).toBe(200);
  for (const id of ids) expect(id).toMatch(/^item_[A-Za-z0-9]{20}$/);
});

test('text content parts and items', () => {
  expect(contentPart('text', 'Jadę')).toEqual({ type: 'text', text: 'Jadę' });
  expect(assistantItem('item_5', 'text', { status: 'incomplete', text: 'Ja' }).content).toEqual([{ type: 'output_text', text: 'Ja' }]);
});
