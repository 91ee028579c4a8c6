import { ThreadLink } from '../../threads/thread-link';
import { SessionThreadError } from '../../registry/model-errors';
import type { GenerationParams } from '../generation-params';
import type { LlamaGenerationDone, LlamaHostMessage, LlamaThreadInit, LlamaThreadMessage } from './llama-protocol';

export type LlamaReady = Extract<LlamaThreadMessage, { kind: 'ready' }>;

/** Why a generation did not finish: the input (non-retryable), a cancellation, or the engine. */
export class LlamaGenerationError extends Error {
  constructor(
    message: string,
    readonly badInput: boolean,
    readonly aborted: boolean,
  ) {
    super(message);
    this.name = 'LlamaGenerationError';
  }
}

interface Pending {
  onText: (text: string) => void;
  resolve: (done: LlamaGenerationDone) => void;
  reject: (error: Error) => void;
}

/** One llama.cpp thread's lifetime: routes generations to it and fails every open one when it dies. */
export class LlamaConnection extends ThreadLink<LlamaReady, Pending, LlamaThreadMessage> {
  private serving = false;

  constructor(entry: string, init: LlamaThreadInit, label: string) {
    super(entry, init, label, 'llama.cpp thread');
  }

  generate(params: GenerationParams, onText: (text: string) => void, signal?: AbortSignal): Promise<LlamaGenerationDone> {
    if (this.exited) return Promise.reject(this.exited);
    if (signal?.aborted) return Promise.reject(new LlamaGenerationError(`${this.label}: generation cancelled`, false, true));
    let id: number | undefined;
    const abort = (): void => {
      if (id !== undefined) this.post({ kind: 'abort', id });
    };
    signal?.addEventListener('abort', abort, { once: true });
    return new Promise<LlamaGenerationDone>((resolve, reject) => {
      id = this.open({ onText, resolve, reject });
      this.post({ kind: 'generate', id, params });
    }).finally(() => signal?.removeEventListener('abort', abort));
  }

  /** Asks the thread to free llama.cpp and exit; terminates it when it has not within `graceMs`. */
  override async terminate(graceMs = 5000): Promise<void> {
    this.terminating = true;
    if (this.exited) return;
    if (!this.serving) {
      await this.worker.terminate();
      return;
    }
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.post({ kind: 'close' });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), graceMs);
    });
    if (await Promise.race([exited.then(() => false), timedOut])) await this.worker.terminate();
    clearTimeout(timer);
  }

  private post(message: LlamaHostMessage): void {
    this.worker.postMessage(message);
  }

  protected onMessage(message: LlamaThreadMessage): void {
    switch (message.kind) {
      case 'ready':
        this.serving = true;
        this.resolveReady(message);
        return;
      case 'init-failed':
        this.rejectReady(new SessionThreadError(`${this.label}: could not load the model with llama.cpp: ${message.message}`));
        return;
      case 'text':
        this.peek(message.id)?.onText(message.text);
        return;
      case 'done':
        this.take(message.id)?.resolve(message);
        return;
      case 'failed': {
        const reason = message.aborted ? 'generation cancelled' : `generation failed: ${message.message}`;
        this.take(message.id)?.reject(new LlamaGenerationError(message.badInput ? message.message : `${this.label}: ${reason}`, message.badInput, message.aborted));
        return;
      }
    }
  }
}
