import { z } from 'zod';
import { checkBase64 } from '../../shared/base64';

/** The API's limit for one `input_audio_buffer.append`, also applied to audio inside an item. */
export const MAX_AUDIO_BYTES = 15 * 1024 * 1024;

/** A custom issue carrying the protocol error code it stands for (client-events.ts reads `params.code`). */
export function issue(ctx: z.RefinementCtx, code: 'invalid_value' | 'unsupported_feature' | 'payload_too_large', message: string, path: (string | number)[] = []): void {
  ctx.addIssue({ code: z.ZodIssueCode.custom, message, path, params: { code } });
}

export const base64Audio = z.string().superRefine((value, ctx) => {
  const problem = checkBase64(value, MAX_AUDIO_BYTES);
  if (problem) issue(ctx, problem.tooLarge ? 'payload_too_large' : 'invalid_value', `audio ${problem.message}`);
});

const inputText = z.object({ type: z.literal('input_text'), text: z.string() }).strict();
const inputAudio = z.object({ type: z.literal('input_audio'), audio: base64Audio.optional(), transcript: z.string().optional() }).strict();
const inputImage = z.object({ type: z.literal('input_image'), image_url: z.string(), detail: z.enum(['auto', 'low', 'high']).optional() }).strict();
const outputText = z.object({ type: z.literal('output_text'), text: z.string() }).strict();
const outputAudio = z.object({ type: z.literal('output_audio'), audio: base64Audio.optional(), transcript: z.string().optional() }).strict();
const contentPart = z.discriminatedUnion('type', [inputText, inputAudio, inputImage, outputText, outputAudio]);

type Part<S extends z.ZodTypeAny> = z.infer<S>;
type MessageFields = { type: 'message'; id?: string; object?: 'realtime.item'; status?: 'completed' | 'incomplete' | 'in_progress' };
/** A message as its role allows it (what the refinement below checks). */
export type MessageItem = MessageFields &
  (
    | { role: 'system'; content: Part<typeof inputText>[] }
    | { role: 'user'; content: (Part<typeof inputText> | Part<typeof inputAudio> | Part<typeof inputImage>)[] }
    | { role: 'assistant'; content: (Part<typeof outputText> | Part<typeof outputAudio>)[] }
  );

const CONTENT_BY_ROLE = {
  system: ['input_text'],
  user: ['input_text', 'input_audio', 'input_image'],
  assistant: ['output_text', 'output_audio'],
} as const;

const itemFields = {
  id: z.string().min(1).optional(),
  object: z.literal('realtime.item').optional(),
  status: z.enum(['completed', 'incomplete', 'in_progress']).optional(),
};

const message = z.object({ type: z.literal('message'), role: z.enum(['system', 'user', 'assistant']), content: z.array(contentPart), ...itemFields }).strict();

const functionCall = z.object({ type: z.literal('function_call'), name: z.string(), arguments: z.string(), call_id: z.string().optional(), ...itemFields }).strict();
const functionCallOutput = z.object({ type: z.literal('function_call_output'), call_id: z.string(), output: z.string(), ...itemFields }).strict();

const MCP_ITEMS = ['mcp_approval_response', 'mcp_approval_request', 'mcp_list_tools', 'mcp_call'] as const;
const mcpItem = (type: (typeof MCP_ITEMS)[number]) => z.object({ type: z.literal(type) }).passthrough();

/**
 * A conversation item a client may create (`conversation.item.create`, `response.create`'s `input`).
 * MCP items are valid for the API but not served here: `unsupported_feature`, not a schema error (they
 * never pass, so the type leaves them out).
 */
export const conversationItem = z
  .discriminatedUnion('type', [message, functionCall, functionCallOutput, ...MCP_ITEMS.map(mcpItem)] as unknown as [typeof message, typeof functionCall, typeof functionCallOutput])
  .superRefine((item, ctx) => {
    if (item.type !== 'message') {
      if ((MCP_ITEMS as readonly string[]).includes(item.type)) issue(ctx, 'unsupported_feature', 'MCP items are not supported by this server', ['type']);
      return;
    }
    const allowed: readonly string[] = CONTENT_BY_ROLE[item.role];
    item.content.forEach((part, i) => {
      if (!allowed.includes(part.type)) issue(ctx, 'invalid_value', `a ${item.role} message takes ${allowed.join(', ')} content, not ${part.type}`, ['content', i, 'type']);
    });
  })
  .transform((item) => (item.type === 'message' ? (item as MessageItem) : item));

/** `response.create`'s `input` may also point at an item already in the conversation. */
export const itemReference = z.object({ type: z.literal('item_reference'), id: z.string().min(1) }).strict();

export type ConversationItemInput = z.infer<typeof conversationItem>;
