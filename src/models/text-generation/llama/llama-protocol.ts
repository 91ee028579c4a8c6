import type { GenerationParams } from '../generation-params';

export interface LlamaThreadInit {
  modelPath: string;
  /** Ask llama.cpp for CUDA; without it (or when it fails) the CPU is used. */
  gpu: boolean;
  /** CPU threads (0 or unset: node-llama-cpp's default). */
  threads?: number;
  contextSize: number;
}

export type LlamaHostMessage = { kind: 'generate'; id: number; params: GenerationParams } | { kind: 'abort'; id: number } | { kind: 'close' };

export interface LlamaGenerationDone {
  kind: 'done';
  id: number;
  text: string;
  promptTokens: number;
  completionTokens: number;
  stopReason: string;
  /** From the request's arrival in the thread to its first text. */
  firstTokenMs?: number;
  /** From the start of evaluation to the last token. */
  generateMs: number;
}

export type LlamaThreadMessage =
  | { kind: 'ready'; gpu: string | false; contextSize: number; fallbackReason?: string }
  | { kind: 'init-failed'; message: string }
  | { kind: 'text'; id: number; text: string }
  | LlamaGenerationDone
  | { kind: 'failed'; id: number; message: string; badInput: boolean; aborted: boolean };
