import type { GeneratePayload } from '../../shared/task';
import { systemPrompt } from '../../shared/voice-replies';
import { ModelInputError } from '../registry/model-errors';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** A text.generate request, checked and with every default filled in: what each provider runs. */
export interface GenerationParams {
  /** System prompt (if any), earlier turns from `context`, then the prompt as the last user message. */
  messages: ChatMessage[];
  maxTokens: number;
  /** 0 = greedy. */
  temperature: number;
  topP: number;
  stop: string[];
}

export const DEFAULT_MAX_TOKENS = 256;
export const DEFAULT_TEMPERATURE = 0.7;
export const DEFAULT_TOP_P = 0.9;
export const MAX_TOKENS_LIMIT = 4096;
const MAX_STOP_SEQUENCES = 8;

function numberIn(field: string, value: unknown, fallback: number, ok: (n: number) => boolean, range: string): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value)) {
    throw new ModelInputError(`payload.${field} must be ${range}, got ${JSON.stringify(value)}`);
  }
  return value;
}

const ROLES = new Set(['system', 'user', 'assistant']);

function isMessage(value: unknown): value is ChatMessage {
  const m = value as Partial<ChatMessage> | null;
  return typeof m === 'object' && m !== null && typeof m.role === 'string' && ROLES.has(m.role) && typeof m.content === 'string';
}

/**
 * `context` may be earlier turns (`[{role, content}]`, roles system/user/assistant) or anything else,
 * which is given to the model as background in the system prompt (text as is, other values as JSON).
 */
function contextMessages(context: unknown): { history: ChatMessage[]; background?: string } {
  if (context === undefined || context === null || context === '') return { history: [] };
  if (Array.isArray(context) && context.length > 0 && context.every(isMessage)) {
    return { history: context.map(({ role, content }) => ({ role, content })) };
  }
  return { history: [], background: typeof context === 'string' ? context : JSON.stringify(context) };
}

/**
 * Checks a text.generate payload and fills in defaults; a bad field is a ModelInputError naming it.
 * With `language` and no `system_prompt`, the robot's system prompt in that language is used.
 */
export function generationParams(request: GeneratePayload): GenerationParams {
  if (typeof request?.prompt !== 'string' || request.prompt.trim() === '') throw new ModelInputError('payload.prompt must be a non-empty string');
  if (request.system_prompt !== undefined && typeof request.system_prompt !== 'string') {
    throw new ModelInputError('payload.system_prompt must be a string');
  }
  const stop = request.stop ?? [];
  if (!Array.isArray(stop) || stop.length > MAX_STOP_SEQUENCES || stop.some((s) => typeof s !== 'string' || s === '')) {
    throw new ModelInputError(`payload.stop must be a list of at most ${MAX_STOP_SEQUENCES} non-empty strings`);
  }
  const { history, background } = contextMessages(request.context);
  const system = [request.system_prompt ?? systemPrompt(request.language), background && `Context:\n${background}`].filter((part): part is string => !!part).join('\n\n');
  const messages: ChatMessage[] = [
    ...(system ? [{ role: 'system' as const, content: system }] : []),
    ...history,
    { role: 'user', content: request.prompt },
  ];
  return {
    messages,
    maxTokens: numberIn('max_tokens', request.max_tokens, DEFAULT_MAX_TOKENS, (n) => Number.isInteger(n) && n >= 1 && n <= MAX_TOKENS_LIMIT, `a whole number from 1 to ${MAX_TOKENS_LIMIT}`),
    temperature: numberIn('temperature', request.temperature, DEFAULT_TEMPERATURE, (n) => n >= 0 && n <= 2, 'a number from 0 to 2'),
    topP: numberIn('top_p', request.top_p, DEFAULT_TOP_P, (n) => n > 0 && n <= 1, 'a number above 0 and at most 1'),
    stop: [...stop],
  };
}
