import type { ChatMessage } from '../generation-params';

/**
 * The prompt text for a chat: ChatML (`<|im_start|>role\n...<|im_end|>`, as SmolLM2 and Qwen use)
 * when the tokenizer knows `<|im_start|>`, else the messages as plain paragraphs.
 */
export function chatPrompt(messages: ChatMessage[], hasToken: (token: string) => boolean): string {
  if (hasToken('<|im_start|>') && hasToken('<|im_end|>')) {
    return `${messages.map((m) => `<|im_start|>${m.role}\n${m.content}<|im_end|>\n`).join('')}<|im_start|>assistant\n`;
  }
  return `${messages.map((m) => (m.role === 'user' ? m.content : `${m.role}: ${m.content}`)).join('\n\n')}\n\n`;
}
