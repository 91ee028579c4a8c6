import type { RealtimeSessionCreateRequest } from 'openai/resources/realtime/realtime';
import type { EndpointingSettings } from '../../config/load-config';
import { protocolError, type ProtocolError } from './errors';
import type { AudioFormat, NoiseReduction, SessionUpdate, Transcription, TurnDetection } from './session-update-schema';

type ServerVad = Required<Extract<TurnDetection, { type: 'server_vad' }>>;
type SemanticVad = Required<Extract<TurnDetection, { type: 'semantic_vad' }>>;
export type ResolvedTurnDetection = ServerVad | SemanticVad;
type Update = SessionUpdate;

/** The API's defaults for each kind of turn detection. */
export const TURN_DETECTION_DEFAULTS: { server_vad: ServerVad; semantic_vad: SemanticVad } = {
  server_vad: { type: 'server_vad', threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: 500, create_response: true, interrupt_response: true, idle_timeout_ms: null },
  semantic_vad: { type: 'semantic_vad', eagerness: 'auto', create_response: true, interrupt_response: true },
};

/** The effective configuration of one Realtime session: what `session.created` / `session.updated` show. */
export interface SessionState {
  id: string;
  model: string;
  /** Epoch seconds. */
  expires_at: number;
  instructions: string;
  output_modalities: Array<'text' | 'audio'>;
  max_output_tokens: number | 'inf';
  audio: {
    input: { format: AudioFormat; transcription: Transcription | null; noise_reduction: NoiseReduction | null; turn_detection: ResolvedTurnDetection | null };
    output: { format: AudioFormat; voice: string | { id: string }; speed: number };
  };
  include: Array<'item.input_audio_transcription.logprobs'>;
  tools: NonNullable<Update['tools']>;
  tool_choice: NonNullable<Update['tool_choice']>;
  parallel_tool_calls?: boolean;
  prompt: NonNullable<Update['prompt']> | null;
  reasoning?: NonNullable<Update['reasoning']>;
  tracing: NonNullable<Update['tracing']> | null;
  truncation: NonNullable<Update['truncation']>;
}

export interface SessionDefaults {
  id: string;
  model: string;
  expiresAt: number;
  /** The engine's instructions for the session's language (the API shows its defaults the same way). */
  instructions: string;
  voice: string;
}

export function defaultSession(d: SessionDefaults): SessionState {
  const pcm24k: AudioFormat = { type: 'audio/pcm', rate: 24000 };
  return {
    id: d.id,
    model: d.model,
    expires_at: d.expiresAt,
    instructions: d.instructions,
    output_modalities: ['audio'],
    max_output_tokens: 'inf',
    audio: {
      input: { format: pcm24k, transcription: null, noise_reduction: null, turn_detection: { ...TURN_DETECTION_DEFAULTS.server_vad } },
      output: { format: pcm24k, voice: d.voice, speed: 1 },
    },
    include: [],
    tools: [],
    tool_choice: 'auto',
    prompt: null,
    tracing: null,
    truncation: 'auto',
  };
}

/**
 * Applies a `session.update`: fields present replace the current ones (`null` turns transcription,
 * noise reduction or turn detection off); a turn detection of the same type as the current one, an
 * input transcription or a noise reduction is merged into the current one, a new turn detection
 * type starts from that type's defaults. The voice is fixed once the session has spoken.
 */
export function applySessionUpdate(state: SessionState, update: Update, context: { spoke: boolean; eventId?: string }): { session: SessionState } | { error: ProtocolError } {
  const { input = {}, output = {} } = update.audio ?? {};
  if (output.voice !== undefined && context.spoke && JSON.stringify(output.voice) !== JSON.stringify(state.audio.output.voice)) {
    const message = 'Cannot update the voice of a session that has already produced audio.';
    return { error: protocolError('cannot_update_voice', message, { param: 'session.audio.output.voice', eventId: context.eventId }) };
  }
  const current = state.audio.input;
  const session: SessionState = {
    ...state,
    ...pick(update, ['model', 'instructions', 'output_modalities', 'max_output_tokens', 'include', 'tools', 'tool_choice', 'parallel_tool_calls', 'prompt', 'reasoning', 'truncation']),
    ...(update.tracing !== undefined ? { tracing: update.tracing } : {}),
    audio: {
      input: {
        format: input.format ?? current.format,
        transcription: mergeNullable(current.transcription, input.transcription),
        noise_reduction: mergeNullable(current.noise_reduction, input.noise_reduction),
        turn_detection: input.turn_detection === undefined ? current.turn_detection : resolveTurnDetection(current.turn_detection, input.turn_detection),
      },
      output: { ...state.audio.output, ...defined(output) },
    },
  };
  return { session };
}

function resolveTurnDetection(current: ResolvedTurnDetection | null, next: TurnDetection | null): ResolvedTurnDetection | null {
  if (next === null) return null;
  const base = current?.type === next.type ? current : TURN_DETECTION_DEFAULTS[next.type];
  return { ...base, ...defined(next) } as ResolvedTurnDetection;
}

function mergeNullable<T extends object>(current: T | null, next: T | null | undefined): T | null {
  if (next === undefined) return current;
  if (next === null) return null;
  return { ...(current ?? {}), ...defined(next) } as T;
}

function pick<T extends object, K extends keyof T>(from: T, keys: K[]): Partial<Pick<T, K>> {
  return Object.fromEntries(keys.filter((k) => from[k] !== undefined).map((k) => [k, from[k]])) as Partial<Pick<T, K>>;
}

function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Silence that ends a turn when the client asked for semantic VAD (no turn model here: plain VAD, waiting as long as its eagerness says). */
const SEMANTIC_SILENCE_MS: Record<SemanticVad['eagerness'], number> = { low: 1200, medium: 800, auto: 800, high: 400 };

/** The front door's endpointer settings for the session's turn detection; `limits` are the engine's own. */
export function endpointingFor(turnDetection: ResolvedTurnDetection, limits: Pick<EndpointingSettings, 'minSpeechMs' | 'maxUtteranceMs'>): EndpointingSettings {
  if (turnDetection.type === 'semantic_vad') {
    const { threshold, prefix_padding_ms } = TURN_DETECTION_DEFAULTS.server_vad;
    return { threshold, prefixPaddingMs: prefix_padding_ms, silenceMs: SEMANTIC_SILENCE_MS[turnDetection.eagerness], ...limits };
  }
  return { threshold: turnDetection.threshold, prefixPaddingMs: turnDetection.prefix_padding_ms, silenceMs: turnDetection.silence_duration_ms, ...limits };
}

/** The session as the wire shows it (`RealtimeSessionCreateResponse`): fields that are off are left out, as the package's types have no `null` for them. */
export function sessionResource(state: SessionState): RealtimeSessionCreateRequest & { id: string; object: 'realtime.session'; expires_at: number } {
  const { input, output } = state.audio;
  return {
    type: 'realtime',
    object: 'realtime.session',
    id: state.id,
    model: state.model,
    expires_at: state.expires_at,
    instructions: state.instructions,
    output_modalities: state.output_modalities,
    max_output_tokens: state.max_output_tokens,
    audio: {
      input: {
        format: input.format,
        turn_detection: input.turn_detection,
        ...(input.transcription ? { transcription: input.transcription } : {}),
        ...(input.noise_reduction ? { noise_reduction: input.noise_reduction } : {}),
      },
      output,
    },
    include: state.include,
    tools: state.tools,
    tool_choice: state.tool_choice,
    ...(state.parallel_tool_calls !== undefined ? { parallel_tool_calls: state.parallel_tool_calls } : {}),
    ...(state.reasoning ? { reasoning: state.reasoning } : {}),
    prompt: state.prompt,
    tracing: state.tracing,
    truncation: state.truncation,
  };
}
