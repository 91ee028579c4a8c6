/**
 * The contract between the Realtime gateway (src/api/realtime, the socket's owner) and the session
 * workflow (src/workflows/realtime-session.ts) that holds a Realtime session's conversation.
 *
 * Three channels, each for what it is good at:
 * - gateway → workflow: Updates where the client must hear back (validators answer the protocol's
 *   errors without a history entry for a rejected call), Signals where it need not;
 * - workflow → gateway, control: `deliverRealtimeEvents`, an activity on the task queue of the
 *   gateway instance the client is attached to (durable, in order; a dead instance times it out);
 * - activities → gateway, the hot stream: text and audio deltas pushed over ZeroMQ to the instance's
 *   `stream_endpoint` while the model produces them (never through history). Best effort: the
 *   response's end (`response.finished`) carries every part's full text and audio reference, and the
 *   gateway fills from it whatever the stream did not bring (e.g. after a reconnect).
 */
import type { VoiceStepType } from './voice-session';
import type { TaskPolicy } from './workflow-input';

export const REALTIME_SESSION_WORKFLOW = 'realtimeSession';

/** Updates (gateway → workflow; the result goes back to the client). */
export const REALTIME_UPDATES = {
  attach: 'attach',
  commitAudio: 'commitAudio',
  createItem: 'createItem',
  deleteItem: 'deleteItem',
  truncateItem: 'truncateItem',
  createResponse: 'createResponse',
  cancelResponse: 'cancelResponse',
} as const;

/** Signals (gateway → workflow; nothing to answer). */
export const REALTIME_SIGNALS = {
  /** The client's `session.update` was applied by the gateway: the new session and what turns need of it. */
  configure: 'configure',
  /** The socket closed without the client ending the session (gateway restart, network): keep the session for `resume_ttl_ms`. */
  detach: 'detach',
  /** The client closed the socket normally (1000) or the session expired: end once the response in flight is done. */
  endSession: 'endSession',
  /** From the text model's activity: a sentence is complete, its TTS can start while the model writes on. */
  sentence: 'sentence',
} as const;

export interface SentenceSignalArgs {
  response_id: string;
  index: number;
  text: string;
}

export const REALTIME_SNAPSHOT_QUERY = 'snapshot';

/** An error a validator or handler answers with: `ApplicationFailure` type = `code`, the gateway turns it into an `error` event. */
export const REALTIME_FAILURE_TYPE = 'RealtimeProtocolError';
export interface RealtimeFailureDetails {
  code: 'item_not_found' | 'conversation_already_has_active_response' | 'response_cancel_not_active' | 'invalid_value' | 'session_not_found';
  message: string;
  param?: string;
}

/** The gateway instance a client is attached to. */
export interface GatewayAttachment {
  /** Unique per socket (a reconnect is a new one): events carry it, the gateway drops those of another. */
  connection_id: string;
  /** Task queue of the instance's worker: `deliverRealtimeEvents` runs there. */
  task_queue: string;
  /** ZeroMQ PULL endpoint the instance binds (`tcp://host:port`, reachable from every worker). */
  stream_endpoint: string;
}

/** What a turn needs of the session's configuration (the gateway derives it from its SessionState). */
export interface RealtimeTurnSettings {
  instructions: string;
  output_modalities: Array<'text' | 'audio'>;
  /** The engine's voice for TTS (an API voice name is mapped by the gateway; undefined: the language's default). */
  voice?: string;
  max_output_tokens: number | 'inf';
  /** ASR language and the language of replies and voice. */
  language: string;
}

export interface RealtimeSessionInput {
  session_id: string;
  tenant: string;
  /** The wire `session` resource as the gateway last showed it; given back on reconnect for `session.created`. */
  session: Record<string, unknown>;
  settings: RealtimeTurnSettings;
  policies: Record<VoiceStepType, TaskPolicy>;
  attachment: GatewayAttachment;
  /** No client attached and no response running for this long: the session ends. */
  resume_ttl_ms: number;
  /** No client event for this long (attached or not): the session ends. */
  idle_timeout_ms: number;
  /** Carried over continue-as-new. */
  carried?: {
    items: RealtimeItem[];
    responses_before: number;
    session: Record<string, unknown>;
    settings: RealtimeTurnSettings;
    /** Control events not yet delivered. */
    outbox?: EngineEvent[];
    /** Undefined: detached when the run continued as new (`detached_at`, epoch ms). */
    attached?: GatewayAttachment;
    detached_at?: number;
  };
}

/** A conversation item as the workflow keeps it: text and references, never audio bytes. */
export interface RealtimeItem {
  id: string;
  role: 'user' | 'assistant' | 'system';
  /** `input_audio` / `input_text` (user, system), `output_audio` / `output_text` (assistant). */
  content_type: 'input_audio' | 'input_text' | 'output_audio' | 'output_text';
  status: 'in_progress' | 'completed' | 'incomplete';
  /** User audio: its transcript once known; otherwise the text (an assistant item: what it said or wrote). */
  text: string;
  /** User audio: 16 kHz pcm16 in the AudioStore. */
  audio_ref?: string;
  /** User audio: `pending` until ASR answered. */
  transcription?: 'pending' | 'completed' | 'failed';
  /** Assistant audio: its length, ms (what `conversation.item.truncate` may cut to). */
  audio_ms?: number;
}

export interface CommitAudioArgs {
  item_id: string;
  /** Insert after this item; undefined: at the end. */
  previous_item_id?: string;
  /** The committed buffer, 16 kHz pcm16, in the AudioStore. */
  audio_ref: string;
  duration_ms: number;
}

export interface CreateItemArgs {
  item: Pick<RealtimeItem, 'id' | 'role' | 'content_type' | 'text'>;
  /** `null`: at the start; undefined: at the end. */
  previous_item_id?: string | null;
}

/** Where an item landed: for `conversation.item.added`'s `previous_item_id`. */
export interface ItemPlacement {
  item_id: string;
  previous_item_id: string | null;
}

export interface TruncateItemArgs {
  item_id: string;
  audio_end_ms: number;
}

export interface CreateResponseArgs {
  response_id: string;
  /** The assistant item the response writes, named by the gateway; undefined: `msg_` + the response id without `resp_`. */
  item_id?: string;
  /** Per-response overrides (`response.create`'s `response`). */
  overrides?: Partial<Pick<RealtimeTurnSettings, 'instructions' | 'output_modalities' | 'voice' | 'max_output_tokens'>> & {
    /** `none`: out of band, not added to the conversation and allowed beside the active response. */
    conversation?: 'auto' | 'none';
    /** Only these items as context (`input` with `item_reference`s). */
    input_item_ids?: string[];
    metadata?: Record<string, string>;
  };
}

/** What `createResponse` answers. */
export interface CreateResponseResult {
  response_id: string;
  /** The assistant item it writes (also for `conversation: 'none'`, where it is not added to the conversation). */
  item_id: string;
}

export interface DeleteItemArgs {
  item_id: string;
}

/** `configure`: the session after `session.update`, and what the next turns need of it. */
export interface ConfigureSignalArgs {
  session: Record<string, unknown>;
  settings: RealtimeTurnSettings;
}

/** `detach`: the socket that closed; a detach for a connection that is no longer attached is ignored. */
export interface DetachSignalArgs {
  connection_id: string;
}

export interface CancelResponseArgs {
  /** Undefined: the active one. */
  response_id?: string;
  reason: 'client_cancelled' | 'turn_detected';
  /** Barge-in: audio of the response the client got, ms; the assistant item is cut to it. */
  audio_sent_ms?: number;
}

export type ResponseStatus = 'in_progress' | 'completed' | 'cancelled' | 'failed' | 'incomplete';

/** One sentence of a response: the unit of streaming, TTS and truncation. */
export interface ResponsePart {
  index: number;
  text: string;
  /** Its speech (24 kHz is the gateway's business: this is the model's rate, WAV in the AudioStore). */
  audio?: { audio_ref: string; sample_rate: number; duration_ms: number };
}

export interface RealtimeResponseRecord {
  response_id: string;
  status: ResponseStatus;
  status_details?: { reason?: 'turn_detected' | 'client_cancelled' | 'max_output_tokens' | 'content_filter'; error?: { type: string; code: string; message: string } };
  /** The assistant item it writes (undefined for an out-of-band response that wrote nothing yet). */
  item_id?: string;
  conversation: 'auto' | 'none';
  output_modalities: Array<'text' | 'audio'>;
  parts: ResponsePart[];
  /** Steps that left their preferred hardware or fell back (`voice.tts: text only`, `text.generate: apology`). */
  degraded: string[];
  usage?: { input_tokens: number; output_tokens: number };
  metadata?: Record<string, string>;
}

/** What `attach` answers and the `snapshot` query shows: enough for `session.created` and the conversation so far. */
export interface RealtimeSnapshot {
  session: Record<string, unknown>;
  items: RealtimeItem[];
  /** The response in flight, with the parts it has so far. */
  active_response?: RealtimeResponseRecord;
}

/** Control events, workflow → gateway, in the order the workflow produced them. */
export type EngineEvent =
  | { type: 'item.transcribed'; item_id: string; transcript: string; audio_seconds: number }
  | { type: 'item.transcription_failed'; item_id: string; error: { code: string; message: string } }
  /** A step fell back mid-response (e.g. TTS down: the rest is text only, `response.output_text.*`). */
  | { type: 'response.degraded'; response_id: string; step: string; output_modalities: Array<'text' | 'audio'> }
  | { type: 'response.finished'; response: RealtimeResponseRecord };

export interface DeliverRealtimeEventsInput {
  session_id: string;
  connection_id: string;
  events: EngineEvent[];
}

export interface RealtimeGatewayActivities {
  /** Runs on the attached gateway instance: writes the events to the socket of `connection_id` (throws when it holds none). */
  deliverRealtimeEvents(input: DeliverRealtimeEventsInput): Promise<{ delivered: number }>;
}

/** Where a model activity streams what it produces (part of its input; undefined: no stream). */
export interface StreamTarget {
  endpoint: string;
  session_id: string;
  connection_id: string;
  response_id: string;
  /** The sentence index the deltas belong to (TTS), or the first sentence index (LLM). */
  part: number;
}

/** One message on the hot stream (ZeroMQ, JSON). `attempt` is the activity's: the gateway keeps the first attempt that reached it per part. */
export type StreamMessage =
  | { kind: 'text'; session_id: string; connection_id: string; response_id: string; part: number; attempt: number; seq: number; delta: string }
  | { kind: 'audio'; session_id: string; connection_id: string; response_id: string; part: number; attempt: number; seq: number; sample_rate: number; pcm16_base64: string; last: boolean };
