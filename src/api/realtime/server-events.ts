import { randomInt } from 'node:crypto';
import type {
  RealtimeConversationItemAssistantMessage,
  RealtimeConversationItemUserMessage,
  RealtimeResponse,
  RealtimeResponseStatus,
  RealtimeResponseUsage,
  RealtimeServerEvent,
} from 'openai/resources/realtime/realtime';
import type { SessionState } from './session-config';

/** The server events this gateway sends (the GA set without MCP, SIP/DTMF and diarization). */
export const SERVER_EVENT_TYPES = [
  'error',
  'session.created',
  'session.updated',
  'conversation.item.added',
  'conversation.item.done',
  'conversation.item.retrieved',
  'conversation.item.truncated',
  'conversation.item.deleted',
  'conversation.item.input_audio_transcription.delta',
  'conversation.item.input_audio_transcription.completed',
  'conversation.item.input_audio_transcription.failed',
  'input_audio_buffer.committed',
  'input_audio_buffer.cleared',
  'input_audio_buffer.speech_started',
  'input_audio_buffer.speech_stopped',
  'input_audio_buffer.timeout_triggered',
  'output_audio_buffer.started',
  'output_audio_buffer.stopped',
  'output_audio_buffer.cleared',
  'response.created',
  'response.done',
  'response.output_item.added',
  'response.output_item.done',
  'response.content_part.added',
  'response.content_part.done',
  'response.output_text.delta',
  'response.output_text.done',
  'response.output_audio.delta',
  'response.output_audio.done',
  'response.output_audio_transcript.delta',
  'response.output_audio_transcript.done',
  'response.function_call_arguments.delta',
  'response.function_call_arguments.done',
  'rate_limits.updated',
] as const satisfies readonly RealtimeServerEvent['type'][];

export type ServerEventType = (typeof SERVER_EVENT_TYPES)[number];
export type ServerEventOf<T extends ServerEventType> = Extract<RealtimeServerEvent, { type: T }>;
export type ServerEventFields<T extends ServerEventType> = Omit<ServerEventOf<T>, 'type' | 'event_id'>;

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Ids as the API spells them: `event_…`, `item_…`, `resp_…`, `sess_…`, `conv_…`. */
export function newId(prefix: 'event' | 'item' | 'resp' | 'sess' | 'conv'): string {
  return `${prefix}_${Array.from({ length: 20 }, () => ID_ALPHABET[randomInt(ID_ALPHABET.length)]).join('')}`;
}

/** A server event of `type` with the fields the package's type gives it; `tsc` holds each to its shape. */
export function serverEvent<T extends ServerEventType>(type: T, fields: ServerEventFields<T>, eventId = newId('event')): ServerEventOf<T> {
  return { type, event_id: eventId, ...fields } as ServerEventOf<T>;
}

/** The user item a commit makes: its audio stays on the server (`conversation.item.retrieve` has it). */
export function userAudioItem(id: string, transcript?: string): RealtimeConversationItemUserMessage {
  return { id, object: 'realtime.item', type: 'message', role: 'user', status: 'completed', content: [{ type: 'input_audio', ...(transcript !== undefined ? { transcript } : {}) }] };
}

/** The assistant item of a response: empty while it is generated, its text or transcript once done. */
export function assistantItem(
  id: string,
  modality: 'audio' | 'text',
  progress: { status: 'in_progress' } | { status: 'completed' | 'incomplete'; text: string },
): RealtimeConversationItemAssistantMessage {
  const content: RealtimeConversationItemAssistantMessage.Content[] =
    progress.status === 'in_progress' ? [] : [modality === 'audio' ? { type: 'output_audio', transcript: progress.text } : { type: 'output_text', text: progress.text }];
  return { id, object: 'realtime.item', type: 'message', role: 'assistant', status: progress.status, content };
}

/** The part `response.content_part.added` / `.done` carry (note: `audio` / `text`, not `output_audio`). */
export function contentPart(modality: 'audio' | 'text', text = ''): { type: 'audio'; transcript: string } | { type: 'text'; text: string } {
  return modality === 'audio' ? { type: 'audio', transcript: text } : { type: 'text', text };
}

export interface ResponseProgress {
  id: string;
  conversationId: string;
  status: NonNullable<RealtimeResponse['status']>;
  statusDetails?: RealtimeResponseStatus;
  output: RealtimeResponse['output'];
  /** The session's settings with the response's own overrides applied. */
  settings: Pick<SessionState, 'output_modalities' | 'max_output_tokens'> & { format: SessionState['audio']['output']['format']; voice: SessionState['audio']['output']['voice'] };
  metadata?: Record<string, string> | null;
  usage?: RealtimeResponseUsage;
}

/** The response resource of `response.created` (status `in_progress`) and `response.done`. */
export function responseResource(r: ResponseProgress): RealtimeResponse {
  const { voice } = r.settings;
  return {
    id: r.id,
    object: 'realtime.response',
    conversation_id: r.conversationId,
    status: r.status,
    ...(r.statusDetails ? { status_details: r.statusDetails } : {}),
    output: r.output,
    output_modalities: r.settings.output_modalities,
    max_output_tokens: r.settings.max_output_tokens,
    audio: { output: { format: r.settings.format, voice: typeof voice === 'string' ? voice : voice.id } },
    metadata: r.metadata ?? null,
    ...(r.usage ? { usage: r.usage } : {}),
  };
}
