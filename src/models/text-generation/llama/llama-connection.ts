import { Worker } from 'node:worker_threads';
import { SessionThreadError } from '../../types';
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
export class LlamaConnection {
  readonly ready: Promise<LlamaReady>;
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private settleReady!: { resolve: (ready: LlamaReady) => void; reject: (error: Error) => void };
  private lastError?: Error;
  private exitError?: SessionThreadError;
  private terminating = false;
  private serving = false;

  constructor(
    entry: string,
    init: LlamaThreadInit,
    private readonly label: string,
  ) {
    this.ready = new Promise<LlamaReady>((resolve, reject) => {
      this.settleReady = { resolve, reject };
    });
    this.worker = new Worker(entry, { workerData: init });
    this.worker.on('message', (message: LlamaThreadMessage) => this.onMessage(message));
    this.worker.on('error', (error) => {
      this.lastError = error;
    });
    this.worker.on('exit', (code) => this.onExit(code));
  }

  get alive(): boolean {
    return this.exitError === undefined;
  }

  generate(params: GenerationParams, onText: (text: string) => void, signal?: AbortSignal): Promise<LlamaGenerationDone> {
    if (this.exitError) return Promise.reject(this.exitError);
    if (signal?.aborted) return Promise.reject(new LlamaGenerationError(`${this.label}: generation cancelled`, false, true));
    const id = this.nextId++;
    const abort = (): void => this.post({ kind: 'abort', id });
    signal?.addEventListener('abort', abort, { once: true });
    return new Promise<LlamaGenerationDone>((resolve, reject) => {
      this.pending.set(id, { onText, resolve, reject });
      this.post({ kind: 'generate', id, params });
    }).finally(() => signal?.removeEventListener('abort', abort));
  }

  /** Asks the thread to free llama.cpp and exit; terminates it when it has not within `graceMs`. */
  async terminate(graceMs = 5000): Promise<void> {
    this.terminating = true;
    if (this.exitError) return;
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

  private onMessage(message: LlamaThreadMessage): void {
    switch (message.kind) {
      case 'ready':
        this.serving = true;
        this.settleReady.resolve(message);
        return;
      case 'init-failed':
        this.settleReady.reject(new SessionThreadError(`${this.label}: could not load the model with llama.cpp: ${message.message}`));
        return;
      case 'text':
        this.pending.get(message.id)?.onText(message.text);
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

  private take(id: number): Pending | undefined {
    const pending = this.pending.get(id);
    this.pending.delete(id);
    return pending;
  }

  private onExit(code: number): void {
    const reason = this.terminating ? 'was closed' : `crashed (exit code ${code}${this.lastError ? `: ${this.lastError.message}` : ''})`;
    this.exitError = new SessionThreadError(`${this.label}: llama.cpp thread ${reason}`);
    this.settleReady.reject(this.exitError);
    for (const pending of this.pending.values()) pending.reject(this.exitError);
    this.pending.clear();
  }
}
