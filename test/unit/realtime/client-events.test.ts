import { parseClientEvent, type ClientEvent } from '../../../src/api/realtime/client-events';
import type { ProtocolError } from '../../../src/api/realtime/errors';
import { AGENTS_SDK_SESSION } from './agents-sdk-session';
import type {
  AudioTranscription,
  RealtimeAudioConfigInput,
  RealtimeAudioConfigOutput,
  ConversationItem,
  RealtimeClientEvent,
  RealtimeResponseCreateParams,
  RealtimeSessionCreateRequest,
  ResponseCreateEvent,
  SessionUpdateEvent,
} from 'openai/resources/realtime/realtime';

/**
 * The package's `session.update`, with the `null` its own documentation uses to turn noise reduction
 * and transcription off (its types leave that `null` out).
 */
type SessionUpdateAsDocumented = Omit<SessionUpdateEvent, 'session'> & {
  session: Omit<RealtimeSessionCreateRequest, 'audio'> & {
    audio?: {
      input?: Omit<RealtimeAudioConfigInput, 'noise_reduction' | 'transcription'> & { noise_reduction?: RealtimeAudioConfigInput.NoiseReduction | null; transcription?: AudioTranscription | null };
      output?: RealtimeAudioConfigOutput;
    };
  };
};

/** `response.create` whose input may name earlier items (`item_reference`), as the API documents; the package's 6.x types leave that out. */
type ResponseCreateWithReferences = Omit<ResponseCreateEvent, 'response'> & {
  response?: Omit<RealtimeResponseCreateParams, 'input'> & { input?: Array<ConversationItem | { type: 'item_reference'; id: string }> };
};

/** Compile-time: every event the parser lets through is one the package's types accept. */
export function asApiEvent(event: ClientEvent): Exclude<RealtimeClientEvent, SessionUpdateEvent> | ResponseCreateWithReferences | SessionUpdateAsDocumented {
  return event;
}

const AUDIO = Buffer.alloc(6).toString('base64');

function parsed(event: object): ClientEvent {
  const result = parseClientEvent(JSON.stringify(event));
  if (!result.ok) throw new Error(`expected ${JSON.stringify(event)} to parse, got ${JSON.stringify(result.error)}`);
  return result.event;
}

function rejected(message: string | object): ProtocolError {
  const result = parseClientEvent(typeof message === 'string' ? message : JSON.stringify(message));
  if (result.ok) throw new Error(`expected ${JSON.stringify(message)} to be rejected`);
  return result.error;
}

const GOOD: Record<ClientEvent['type'], object[]> = {
  'session.update': [
    { type: 'session.update', event_id: 'evt_1', session: AGENTS_SDK_SESSION },
    { type: 'session.update', session: { type: 'realtime', tracing: 'auto' } },
    {
      type: 'session.update',
      session: {
        type: 'realtime',
        instructions: '',
        max_output_tokens: 'inf',
        include: ['item.input_audio_transcription.logprobs'],
        audio: {
          input: {
            format: { type: 'audio/pcmu' },
            transcription: { model: 'whisper-1', language: 'pl', prompt: 'Rider-Pi' },
            noise_reduction: { type: 'far_field' },
            turn_detection: { type: 'server_vad', threshold: 0.6, prefix_padding_ms: 300, silence_duration_ms: 500, create_response: true, interrupt_response: false, idle_timeout_ms: null },
          },
          output: { format: { type: 'audio/pcma' }, voice: 'marin', speed: 1.2 },
        },
        tools: [{ type: 'function', name: 'stop', description: 'Stops the robot', parameters: { type: 'object', properties: {} } }],
        tool_choice: { type: 'function', name: 'stop' },
        truncation: { type: 'retention_ratio', retention_ratio: 0.8 },
        prompt: { id: 'pmpt_1', version: '2', variables: { name: 'Rider' } },
        reasoning: { effort: 'low' },
        parallel_tool_calls: false,
      },
    },
    { type: 'session.update', session: { type: 'realtime', audio: { input: { turn_detection: null, transcription: null }, output: { voice: { id: 'voice_1234' } } } } },
  ],
  'input_audio_buffer.append': [{ type: 'input_audio_buffer.append', event_id: 'evt_2', audio: AUDIO }],
  'input_audio_buffer.commit': [{ type: 'input_audio_buffer.commit' }],
  'input_audio_buffer.clear': [{ type: 'input_audio_buffer.clear', event_id: 'evt_3' }],
  'conversation.item.create': [
    { type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Jedź do kuchni' }] } },
    { type: 'conversation.item.create', previous_item_id: 'root', item: { id: 'item_sys', type: 'message', role: 'system', content: [{ type: 'input_text', text: 'Mów po polsku.' }] } },
    { type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_audio', audio: AUDIO }] } },
    { type: 'conversation.item.create', item: { type: 'message', role: 'assistant', status: 'completed', object: 'realtime.item', content: [{ type: 'output_text', text: 'Jadę.' }] } },
    { type: 'conversation.item.create', item: { type: 'function_call', name: 'stop', arguments: '{}', call_id: 'call_1' } },
    { type: 'conversation.item.create', item: { type: 'function_call_output', call_id: 'call_1', output: '{"ok":true}' } },
  ],
  'conversation.item.retrieve': [{ type: 'conversation.item.retrieve', item_id: 'item_1' }],
  'conversation.item.truncate': [{ type: 'conversation.item.truncate', item_id: 'item_1', content_index: 0, audio_end_ms: 1500 }],
  'conversation.item.delete': [{ type: 'conversation.item.delete', item_id: 'item_1' }],
  'response.create': [
    { type: 'response.create' },
    { type: 'response.create', response: {} },
    {
      type: 'response.create',
      event_id: 'evt_4',
      response: {
        conversation: 'none',
        instructions: 'Answer in one word.',
        output_modalities: ['text'],
        audio: { output: { voice: 'cedar', format: { type: 'audio/pcm' } } },
        max_output_tokens: 64,
        metadata: { topic: 'weather' },
        tools: [],
        tool_choice: 'none',
        input: [{ type: 'item_reference', id: 'item_1' }, { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Jaka pogoda?' }] }],
      },
    },
  ],
  'response.cancel': [{ type: 'response.cancel' }, { type: 'response.cancel', response_id: 'resp_1' }],
  'output_audio_buffer.clear': [{ type: 'output_audio_buffer.clear', event_id: 'evt_5' }],
};

describe.each(Object.entries(GOOD))('%s', (type, events) => {
  test.each(events.map((e, i) => [i, e]))('example %d parses to the same event', (_i, event) => {
    const result = parsed(event);
    expect(result.type).toBe(type);
    expect(result).toEqual(event);
  });
});

test('a message that is not JSON, or not an object, is invalid_json', () => {
  expect(rejected('{"type": "input_audio_buffer.commit"')).toMatchObject({ type: 'invalid_request_error', code: 'invalid_json', param: null, event_id: null });
  expect(rejected('[1,2]')).toMatchObject({ code: 'invalid_json', message: 'The message must be a JSON object, got an array.' });
  expect(rejected('42').code).toBe('invalid_json');
  expect(rejected('null').code).toBe('invalid_json');
});

test('an unknown or missing event type names the type field and carries the event_id', () => {
  expect(rejected({ type: 'session.delete', event_id: 'evt_9' })).toMatchObject({ code: 'unknown_event', param: 'type', event_id: 'evt_9' });
  expect(rejected({ type: 'session.delete' }).message).toMatch(/^Invalid value: 'session\.delete'\. Supported values are: 'session\.update', /);
  expect(rejected({ event_id: 'evt_8' })).toMatchObject({ code: 'missing_required_parameter', param: 'type', event_id: 'evt_8', message: "Missing required parameter: 'type'." });
  expect(rejected({ type: 7 })).toMatchObject({ code: 'invalid_type', param: 'type' });
  // the beta name of an event is not a GA one
  expect(rejected({ type: 'transcription_session.update', session: {} }).code).toBe('unknown_event');
});

test.each([
  [{ type: 'input_audio_buffer.append', event_id: 'e1' }, 'audio'],
  [{ type: 'session.update', event_id: 'e1' }, 'session'],
  [{ type: 'session.update', event_id: 'e1', session: { instructions: 'x' } }, 'session.type'],
  [{ type: 'conversation.item.retrieve', event_id: 'e1' }, 'item_id'],
  [{ type: 'conversation.item.truncate', event_id: 'e1', item_id: 'i', content_index: 0 }, 'audio_end_ms'],
  [{ type: 'conversation.item.create', event_id: 'e1' }, 'item'],
  [{ type: 'conversation.item.create', event_id: 'e1', item: { role: 'user', content: [] } }, 'item.type'],
  [{ type: 'conversation.item.create', event_id: 'e1', item: { type: 'message', role: 'user', content: [{ text: 'hi' }] } }, 'item.content[0].type'],
  [{ type: 'conversation.item.create', event_id: 'e1', item: { type: 'function_call_output', output: 'x' } }, 'item.call_id'],
  [{ type: 'session.update', event_id: 'e1', session: { type: 'realtime', audio: { input: { turn_detection: { threshold: 0.5 } } } } }, 'session.audio.input.turn_detection.type'],
])('missing_required_parameter: %j names %s', (event, param) => {
  expect(rejected(event)).toEqual({ type: 'invalid_request_error', code: 'missing_required_parameter', param, event_id: 'e1', message: `Missing required parameter: '${param}'.` });
});

test.each([
  [{ type: 'conversation.item.delete', item_id: 5 }, 'item_id', "Invalid type for 'item_id': expected a string, but got an integer instead."],
  [{ type: 'session.update', session: { type: 'realtime', instructions: 1.5 } }, 'session.instructions', "Invalid type for 'session.instructions': expected a string, but got a decimal instead."],
  [{ type: 'response.create', response: 'now' }, 'response', "Invalid type for 'response': expected an object, but got a string instead."],
  [{ type: 'input_audio_buffer.commit', event_id: 3 }, 'event_id', "Invalid type for 'event_id': expected a string, but got an integer instead."],
  [{ type: 'session.update', session: { type: 'realtime', tools: {} } }, 'session.tools', "Invalid type for 'session.tools': expected an array, but got an object instead."],
])('invalid_type: %j names %s', (event, param, message) => {
  expect(rejected(event)).toMatchObject({ code: 'invalid_type', param, message });
});

test.each([
  [{ type: 'session.update', session: { type: 'realtime', audio: { input: { turn_detection: { type: 'push_to_talk' } } } } }, 'session.audio.input.turn_detection.type'],
  [{ type: 'session.update', session: { type: 'realtime', audio: { input: { turn_detection: { type: 'server_vad', threshold: 1.5 } } } } }, 'session.audio.input.turn_detection.threshold'],
  [{ type: 'session.update', session: { type: 'realtime', audio: { input: { format: { type: 'audio/pcm', rate: 16000 } } } } }, 'session.audio.input.format.rate'],
  [{ type: 'session.update', session: { type: 'realtime', audio: { input: { format: { type: 'pcm16' } } } } }, 'session.audio.input.format.type'],
  [{ type: 'session.update', session: { type: 'realtime', audio: { output: { speed: 3 } } } }, 'session.audio.output.speed'],
  [{ type: 'session.update', session: { type: 'realtime', output_modalities: ['audio', 'text'] } }, 'session.output_modalities'],
  [{ type: 'session.update', session: { type: 'realtime', output_modalities: [] } }, 'session.output_modalities'],
  [{ type: 'session.update', session: { type: 'realtime', max_output_tokens: 5000 } }, 'session.max_output_tokens'],
  [{ type: 'session.update', session: { type: 'realtime', tool_choice: 'sometimes' } }, 'session.tool_choice'],
  [{ type: 'response.create', response: { metadata: { key: 'x'.repeat(513) } } }, 'response.metadata.key'],
  [{ type: 'conversation.item.truncate', item_id: 'i', content_index: -1, audio_end_ms: 10 }, 'content_index'],
  [{ type: 'conversation.item.truncate', item_id: 'i', content_index: 0, audio_end_ms: 1.5 }, 'audio_end_ms'],
  [{ type: 'conversation.item.retrieve', item_id: '' }, 'item_id'],
  [{ type: 'conversation.item.create', item: { type: 'message', role: 'system', content: [{ type: 'input_audio', audio: AUDIO }] } }, 'item.content[0].type'],
  [{ type: 'conversation.item.create', item: { type: 'message', role: 'robot', content: [] } }, 'item.role'],
  [{ type: 'input_audio_buffer.append', audio: 'not base64!' }, 'audio'],
  [{ type: 'input_audio_buffer.append', audio: '' }, 'audio'],
  [{ type: 'response.create', response: { input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 7 }] }] } }, 'response.input[0].content[0].text'],
])('invalid value: %j names %s', (event, param) => {
  const error = rejected(event);
  expect(error).toMatchObject({ type: 'invalid_request_error', param });
  expect(['invalid_value', 'invalid_type']).toContain(error.code);
});

test('a wrong value says what is allowed', () => {
  expect(rejected({ type: 'session.update', session: { type: 'realtime', audio: { input: { turn_detection: { type: 'push_to_talk' } } } } }).message).toBe(
    "Invalid value: \"push_to_talk\". Supported values are: 'server_vad', 'semantic_vad'.",
  );
  expect(rejected({ type: 'session.update', session: { type: 'realtime', output_modalities: ['audio', 'text'] } }).message).toBe(
    "Invalid 'session.output_modalities': output_modalities is either [\"audio\"] or [\"text\"], not both.",
  );
});

test.each([
  [{ type: 'input_audio_buffer.commit', audio: AUDIO }, 'audio'],
  [{ type: 'session.update', session: { type: 'realtime', voice: 'alloy' } }, 'session.voice'],
  [{ type: 'session.update', session: { type: 'realtime', input_audio_format: 'pcm16' } }, 'session.input_audio_format'],
  [{ type: 'session.update', session: { type: 'realtime', audio: { input: { turn_detection: { type: 'semantic_vad', threshold: 0.5 } } } } }, 'session.audio.input.turn_detection.threshold'],
  [{ type: 'response.create', response: { modalities: ['text'] } }, 'response.modalities'],
])('unknown_parameter: %j names %s (beta fields included)', (event, param) => {
  expect(rejected(event)).toMatchObject({ code: 'unknown_parameter', param, message: `Unknown parameter: '${param}'.` });
});

test.each([
  [{ type: 'session.update', session: { type: 'transcription' } }, 'session.type'],
  [{ type: 'session.update', session: { type: 'realtime', tools: [{ type: 'mcp', server_label: 'x', server_url: 'https://x' }] } }, 'session.tools[0].type'],
  [{ type: 'conversation.item.create', item: { type: 'mcp_approval_response', id: 'a', approval_request_id: 'r', approve: true } }, 'item.type'],
])('unsupported_feature: %j names %s', (event, param) => {
  expect(rejected(event)).toMatchObject({ type: 'invalid_request_error', code: 'unsupported_feature', param });
});

test('audio over the API limit of 15 MiB is payload_too_large', () => {
  const audio = Buffer.alloc(15 * 1024 * 1024 + 3).toString('base64');
  expect(rejected({ type: 'input_audio_buffer.append', event_id: 'big', audio })).toMatchObject({ code: 'payload_too_large', param: 'audio', event_id: 'big' });
});
