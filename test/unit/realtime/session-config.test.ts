import { parseClientEvent, type ClientEventOf } from '../../../src/api/realtime/client-events';
import { applySessionUpdate, defaultSession, endpointingFor, TURN_DETECTION_DEFAULTS, type SessionState } from '../../../src/api/realtime/session-config';
import { AGENTS_SDK_SESSION } from './agents-sdk-session';

const base = defaultSession({ id: 'sess_1', model: 'gpt-realtime', expiresAt: 1_800_000_000, instructions: 'Odpowiadaj krótko po polsku.', voice: 'pl_PL-gosia-medium' });
const limits = { minSpeechMs: 250, maxUtteranceMs: 15_000 };

/** A session.update as a client sends it, through the parser. */
function update(session: object): ClientEventOf<'session.update'>['session'] {
  const parsed = parseClientEvent(JSON.stringify({ type: 'session.update', session: { type: 'realtime', ...session } }));
  if (!parsed.ok || parsed.event.type !== 'session.update') throw new Error(JSON.stringify(parsed));
  return parsed.event.session;
}

function applied(state: SessionState, session: object, spoke = false): SessionState {
  const result = applySessionUpdate(state, update(session), { spoke });
  if ('error' in result) throw new Error(result.error.message);
  return result.session;
}

test('a new session has the API`s defaults: audio out, pcm16 24 kHz both ways, server VAD, no transcription', () => {
  expect(base).toMatchObject({
    output_modalities: ['audio'],
    max_output_tokens: 'inf',
    tool_choice: 'auto',
    tools: [],
    audio: {
      input: {
        format: { type: 'audio/pcm', rate: 24000 },
        transcription: null,
        noise_reduction: null,
        turn_detection: { type: 'server_vad', threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: 500, create_response: true, interrupt_response: true, idle_timeout_ms: null },
      },
      output: { format: { type: 'audio/pcm', rate: 24000 }, voice: 'pl_PL-gosia-medium', speed: 1 },
    },
  });
});

test('only the fields present change; an empty instructions string clears them', () => {
  const s = applied(base, { instructions: '', audio: { output: { speed: 1.25 } } });
  expect(s.instructions).toBe('');
  expect(s.audio.output).toEqual({ ...base.audio.output, speed: 1.25 });
  expect(s.audio.input).toEqual(base.audio.input);
  expect(s.tool_choice).toBe('auto');
});

test('turn detection: same type merges into the current one, a new type starts from its defaults, null turns it off', () => {
  const tuned = applied(base, { audio: { input: { turn_detection: { type: 'server_vad', silence_duration_ms: 800 } } } });
  expect(tuned.audio.input.turn_detection).toEqual({ ...TURN_DETECTION_DEFAULTS.server_vad, silence_duration_ms: 800 });
  const again = applied(tuned, { audio: { input: { turn_detection: { type: 'server_vad', threshold: 0.7 } } } });
  expect(again.audio.input.turn_detection).toMatchObject({ silence_duration_ms: 800, threshold: 0.7 });
  const semantic = applied(again, { audio: { input: { turn_detection: { type: 'semantic_vad', eagerness: 'high' } } } });
  expect(semantic.audio.input.turn_detection).toEqual({ type: 'semantic_vad', eagerness: 'high', create_response: true, interrupt_response: true });
  expect(applied(semantic, { audio: { input: { turn_detection: null } } }).audio.input.turn_detection).toBeNull();
  expect(applied(semantic, { instructions: 'x' }).audio.input.turn_detection).toEqual(semantic.audio.input.turn_detection);
});

test('transcription and noise reduction: on, merged, off', () => {
  const on = applied(base, { audio: { input: { transcription: { model: 'whisper-1', language: 'pl' }, noise_reduction: { type: 'near_field', strength: 0.5 } } } });
  expect(on.audio.input.transcription).toEqual({ model: 'whisper-1', language: 'pl' });
  const merged = applied(on, { audio: { input: { transcription: { prompt: 'Rider-Pi' }, noise_reduction: { type: 'far_field' } } } });
  expect(merged.audio.input.transcription).toEqual({ model: 'whisper-1', language: 'pl', prompt: 'Rider-Pi' });
  expect(merged.audio.input.noise_reduction).toEqual({ type: 'far_field', strength: 0.5 });
  const off = applied(merged, { audio: { input: { transcription: null, noise_reduction: null } } });
  expect(off.audio.input).toMatchObject({ transcription: null, noise_reduction: null });
});

test('formats, tools and the rest are replaced as given', () => {
  const s = applied(base, {
    output_modalities: ['text'],
    audio: { input: { format: { type: 'audio/pcmu' } }, output: { format: { type: 'audio/pcma' } } },
    tools: [{ type: 'function', name: 'stop' }],
    tool_choice: 'required',
    tracing: 'auto',
    truncation: 'disabled',
    max_output_tokens: 100,
  });
  expect(s).toMatchObject({ output_modalities: ['text'], tool_choice: 'required', tracing: 'auto', truncation: 'disabled', max_output_tokens: 100, tools: [{ type: 'function', name: 'stop' }] });
  expect(s.audio.input.format).toEqual({ type: 'audio/pcmu' });
  expect(s.audio.output.format).toEqual({ type: 'audio/pcma' });
  expect(applied(s, { tools: [] }).tools).toEqual([]);
});

test('the voice is fixed once the session has spoken (the same voice again is fine)', () => {
  const result = applySessionUpdate(base, update({ audio: { output: { voice: 'marin' } } }), { spoke: true, eventId: 'evt_7' });
  expect(result).toEqual({ error: expect.objectContaining({ type: 'invalid_request_error', code: 'cannot_update_voice', param: 'session.audio.output.voice', event_id: 'evt_7' }) });
  expect(applied(base, { audio: { output: { voice: 'pl_PL-gosia-medium' } } }, true).audio.output.voice).toBe('pl_PL-gosia-medium');
  expect(applied(base, { audio: { output: { voice: { id: 'voice_1' } } } }, false).audio.output.voice).toEqual({ id: 'voice_1' });
});

test('the agents SDK`s connect-time update (semantic VAD, noise reduction off, a transcription model) is taken', () => {
  const s = applied(base, AGENTS_SDK_SESSION);
  expect(s.model).toBe('gpt-realtime-2.1');
  expect(s.audio.input.turn_detection).toEqual(TURN_DETECTION_DEFAULTS.semantic_vad);
  expect(s.audio.output.voice).toBe('pl_PL-gosia-medium');
});

test('server VAD settings become the endpointer`s; semantic VAD is plain VAD waiting as long as its eagerness says', () => {
  const server = { ...TURN_DETECTION_DEFAULTS.server_vad, threshold: 0.6, prefix_padding_ms: 500, silence_duration_ms: 700 };
  expect(endpointingFor(server, limits)).toEqual({ threshold: 0.6, prefixPaddingMs: 500, silenceMs: 700, minSpeechMs: 250, maxUtteranceMs: 15_000 });
  const silence = (eagerness: 'low' | 'medium' | 'high' | 'auto') => endpointingFor({ ...TURN_DETECTION_DEFAULTS.semantic_vad, eagerness }, limits).silenceMs;
  expect(silence('low')).toBeGreaterThan(silence('medium'));
  expect(silence('medium')).toBe(silence('auto'));
  expect(silence('medium')).toBeGreaterThan(silence('high'));
});
