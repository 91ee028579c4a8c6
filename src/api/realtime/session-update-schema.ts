import { z } from 'zod';
import { issue } from './item-schema';

export const audioFormat = z.discriminatedUnion('type', [
  z.object({ type: z.literal('audio/pcm'), rate: z.literal(24000).optional() }).strict(),
  z.object({ type: z.literal('audio/pcmu') }).strict(),
  z.object({ type: z.literal('audio/pcma') }).strict(),
]);

const ms = z.number().int().min(0);

const serverVad = z
  .object({
    type: z.literal('server_vad'),
    threshold: z.number().min(0).max(1).optional(),
    prefix_padding_ms: ms.optional(),
    silence_duration_ms: ms.optional(),
    create_response: z.boolean().optional(),
    interrupt_response: z.boolean().optional(),
    idle_timeout_ms: z.number().int().positive().nullable().optional(),
  })
  .strict();

const semanticVad = z
  .object({
    type: z.literal('semantic_vad'),
    eagerness: z.enum(['low', 'medium', 'high', 'auto']).optional(),
    create_response: z.boolean().optional(),
    interrupt_response: z.boolean().optional(),
  })
  .strict();

export const turnDetection = z.discriminatedUnion('type', [serverVad, semanticVad]);

const transcription = z
  .object({
    model: z.string().optional(),
    language: z.string().optional(),
    languages: z.array(z.string()).optional(),
    prompt: z.string().optional(),
    keywords: z.array(z.string()).optional(),
    delay: z.enum(['minimal', 'low', 'medium', 'high', 'xhigh']).optional(),
  })
  .strict();

const noiseReduction = z.object({ type: z.enum(['near_field', 'far_field']).optional(), strength: z.number().optional() }).strict();

export const voice = z.union([z.string().min(1), z.object({ id: z.string().min(1) }).strict()]);

export const outputAudio = z.object({ format: audioFormat.optional(), voice: voice.optional() }).strict();

export const outputModalities = z
  .array(z.enum(['text', 'audio']))
  .min(1)
  .superRefine((modalities, ctx) => {
    if (new Set(modalities).size > 1) issue(ctx, 'invalid_value', 'output_modalities is either ["audio"] or ["text"], not both');
  });

export const maxOutputTokens = z.union([z.number().int().min(1).max(4096), z.literal('inf')]);

export const functionTool = z
  .object({ type: z.literal('function'), name: z.string().min(1), description: z.string().optional(), parameters: z.unknown().optional() })
  .strict();

/** MCP tools are valid for the API, not served here: `unsupported_feature` (so only function tools come through). */
export const tools = z
  .array(z.discriminatedUnion('type', [functionTool, z.object({ type: z.literal('mcp') }).passthrough()]))
  .superRefine((list, ctx) => {
    list.forEach((tool, i) => {
      if (tool.type === 'mcp') issue(ctx, 'unsupported_feature', 'MCP tools are not supported by this server', [i, 'type']);
    });
  })
  .transform((list) => list.flatMap((tool) => (tool.type === 'function' ? [tool] : [])));

export const toolChoice = z.union([z.enum(['none', 'auto', 'required']), z.object({ type: z.literal('function'), name: z.string() }).strict()]);

export const metadata = z.record(z.string().max(64), z.string().max(512)).refine((m) => Object.keys(m).length <= 16, 'metadata holds at most 16 keys');

export const prompt = z
  .object({ id: z.string(), version: z.string().nullable().optional(), variables: z.record(z.string()).nullable().optional() })
  .strict()
  .nullable();

export const reasoning = z.object({ effort: z.enum(['minimal', 'low', 'medium', 'high', 'xhigh']).optional() }).strict();

const tracing = z
  .union([z.literal('auto'), z.object({ workflow_name: z.string().optional(), group_id: z.string().optional(), metadata: z.unknown().optional() }).strict()])
  .nullable();

const truncation = z.union([
  z.enum(['auto', 'disabled']),
  z
    .object({
      type: z.literal('retention_ratio'),
      retention_ratio: z.number().min(0).max(1),
      token_limits: z.object({ post_instructions: z.number().int().positive().optional() }).strict().optional(),
    })
    .strict(),
]);

/**
 * `session.update`'s `session` as the GA API defines it (`RealtimeSessionCreateRequest`): every field
 * optional but `type`. A transcription session (`type: "transcription"`) is not served here.
 */
export const sessionUpdate = z
  .object({
    type: z
      .enum(['realtime', 'transcription'])
      .superRefine((type, ctx) => {
        if (type === 'transcription') issue(ctx, 'unsupported_feature', 'transcription sessions are not supported by this server');
      })
      .transform(() => 'realtime' as const),
    model: z.string().optional(),
    instructions: z.string().optional(),
    output_modalities: outputModalities.optional(),
    max_output_tokens: maxOutputTokens.optional(),
    audio: z
      .object({
        input: z
          .object({
            format: audioFormat.optional(),
            transcription: transcription.nullable().optional(),
            noise_reduction: noiseReduction.nullable().optional(),
            turn_detection: turnDetection.nullable().optional(),
          })
          .strict()
          .optional(),
        output: outputAudio.extend({ speed: z.number().min(0.25).max(1.5).optional() }).strict().optional(),
      })
      .strict()
      .optional(),
    include: z.array(z.literal('item.input_audio_transcription.logprobs')).optional(),
    tools: tools.optional(),
    tool_choice: toolChoice.optional(),
    parallel_tool_calls: z.boolean().optional(),
    prompt: prompt.optional(),
    reasoning: reasoning.optional(),
    tracing: tracing.optional(),
    truncation: truncation.optional(),
  })
  .strict();

export type SessionUpdate = z.infer<typeof sessionUpdate>;
export type AudioFormat = z.infer<typeof audioFormat>;
export type TurnDetection = z.infer<typeof turnDetection>;
export type Transcription = z.infer<typeof transcription>;
export type NoiseReduction = z.infer<typeof noiseReduction>;
