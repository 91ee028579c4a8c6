import { z } from 'zod';
import { base64Audio, conversationItem, itemReference } from './item-schema';
import { maxOutputTokens, metadata, outputAudio, outputModalities, prompt, reasoning, sessionUpdate, toolChoice, tools } from './session-update-schema';

const eventId = { event_id: z.string().optional() };

/** Per-response overrides of `response.create` (`RealtimeResponseCreateParams`). */
export const responseParams = z
  .object({
    conversation: z.string().min(1).optional(),
    input: z.array(z.union([itemReference, conversationItem])).optional(),
    instructions: z.string().optional(),
    output_modalities: outputModalities.optional(),
    audio: z.object({ output: outputAudio.optional() }).strict().optional(),
    max_output_tokens: maxOutputTokens.optional(),
    metadata: metadata.nullable().optional(),
    tools: tools.optional(),
    tool_choice: toolChoice.optional(),
    parallel_tool_calls: z.boolean().optional(),
    prompt: prompt.optional(),
    reasoning: reasoning.optional(),
  })
  .strict();

/** Every client event of the GA Realtime API, by `type`. */
export const CLIENT_EVENT_SCHEMAS = {
  'session.update': z.object({ type: z.literal('session.update'), ...eventId, session: sessionUpdate }).strict(),
  'input_audio_buffer.append': z.object({ type: z.literal('input_audio_buffer.append'), ...eventId, audio: base64Audio }).strict(),
  'input_audio_buffer.commit': z.object({ type: z.literal('input_audio_buffer.commit'), ...eventId }).strict(),
  'input_audio_buffer.clear': z.object({ type: z.literal('input_audio_buffer.clear'), ...eventId }).strict(),
  'conversation.item.create': z
    .object({ type: z.literal('conversation.item.create'), ...eventId, previous_item_id: z.string().min(1).optional(), item: conversationItem })
    .strict(),
  'conversation.item.retrieve': z.object({ type: z.literal('conversation.item.retrieve'), ...eventId, item_id: z.string().min(1) }).strict(),
  'conversation.item.truncate': z
    .object({
      type: z.literal('conversation.item.truncate'),
      ...eventId,
      item_id: z.string().min(1),
      content_index: z.number().int().min(0),
      audio_end_ms: z.number().int().min(0),
    })
    .strict(),
  'conversation.item.delete': z.object({ type: z.literal('conversation.item.delete'), ...eventId, item_id: z.string().min(1) }).strict(),
  'response.create': z.object({ type: z.literal('response.create'), ...eventId, response: responseParams.optional() }).strict(),
  'response.cancel': z.object({ type: z.literal('response.cancel'), ...eventId, response_id: z.string().min(1).optional() }).strict(),
  'output_audio_buffer.clear': z.object({ type: z.literal('output_audio_buffer.clear'), ...eventId }).strict(),
} as const;

export type ClientEventType = keyof typeof CLIENT_EVENT_SCHEMAS;
export type ClientEvent = { [T in ClientEventType]: z.infer<(typeof CLIENT_EVENT_SCHEMAS)[T]> }[ClientEventType];
export type ClientEventOf<T extends ClientEventType> = Extract<ClientEvent, { type: T }>;
