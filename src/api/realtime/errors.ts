import type { RealtimeError } from 'openai/resources/realtime/realtime';

export type RealtimeErrorType = 'invalid_request_error' | 'authentication_error' | 'rate_limit_error' | 'server_error';

/**
 * Every error code the gateway sends, with its type and when it is sent: the one table of them
 * (docs/realtime-errors.md is checked against it). Codes are stable: clients may match on them.
 * Where the OpenAI Realtime API has a code for the same case, it is the same code.
 */
export const REALTIME_ERRORS = {
  invalid_json: { type: 'invalid_request_error', when: 'the message is not a JSON object' },
  unknown_event: { type: 'invalid_request_error', when: 'the event `type` is not a client event of the API' },
  missing_required_parameter: { type: 'invalid_request_error', when: 'a required field is missing (`param` names it)' },
  invalid_type: { type: 'invalid_request_error', when: 'a field has the wrong JSON type (`param` names it)' },
  invalid_value: { type: 'invalid_request_error', when: 'a field has a value out of its range or set (`param` names it)' },
  unknown_parameter: { type: 'invalid_request_error', when: 'a field the API does not define (`param` names it)' },
  unsupported_feature: { type: 'invalid_request_error', when: 'valid for the API, not served here (transcription sessions, MCP tools and items)' },
  payload_too_large: { type: 'invalid_request_error', when: 'an `input_audio_buffer.append` over 15 MiB of audio' },
  input_audio_buffer_commit_empty: { type: 'invalid_request_error', when: 'a commit of less than 100 ms of audio' },
  item_not_found: { type: 'invalid_request_error', when: 'an `item_id` / `previous_item_id` that is not in the conversation' },
  cannot_update_voice: { type: 'invalid_request_error', when: 'a voice change after the session has spoken' },
  conversation_already_has_active_response: { type: 'invalid_request_error', when: 'a `response.create` while a response to the conversation is in progress' },
  response_cancel_not_active: { type: 'invalid_request_error', when: 'a `response.cancel` with no response in progress' },
  session_expired: { type: 'invalid_request_error', when: 'the session reached its maximum duration; the socket closes' },
  missing_api_key: { type: 'authentication_error', when: 'no key in the `Authorization` header or the `openai-insecure-api-key.` subprotocol' },
  invalid_api_key: { type: 'authentication_error', when: 'a key (or client secret) no tenant owns, or one that expired' },
  rate_limit_exceeded: { type: 'rate_limit_error', when: "the tenant's requests or tokens per minute are used up" },
  session_limit_reached: { type: 'rate_limit_error', when: "the tenant's concurrent sessions are all open" },
  server_error: { type: 'server_error', when: 'anything that went wrong on our side; the session stays open' },
  engine_unavailable: { type: 'server_error', when: 'the voice-session engine (Temporal) cannot be reached' },
} as const satisfies Record<string, { type: RealtimeErrorType; when: string }>;

export type RealtimeErrorCode = keyof typeof REALTIME_ERRORS;

/** An error as the `error` server event carries it; `event_id` is the client event it answers. */
export interface ProtocolError extends RealtimeError {
  type: RealtimeErrorType;
  code: RealtimeErrorCode;
  message: string;
  param: string | null;
  event_id: string | null;
}

export function protocolError(code: RealtimeErrorCode, message: string, at: { param?: string | null; eventId?: string | null } = {}): ProtocolError {
  return { type: REALTIME_ERRORS[code].type, code, message, param: at.param ?? null, event_id: at.eventId ?? null };
}
