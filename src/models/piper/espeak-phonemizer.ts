import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EspeakReply, EspeakRequest, EspeakThreadInit } from './espeak-protocol';
import { SessionThreadError } from '../registry/model-errors';

interface Pending {
  resolve: (phonemes: string[]) => void;
  reject: (error: Error) => void;
}

/** One espeak thread's lifetime: requests in, replies out, every open request failed when it dies. */
class EspeakThread {
  readonly ready: Promise<void>;
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private exitError?: SessionThreadError;
  private lastError?: Error;
  private terminating = false;

  constructor(init: EspeakThreadInit) {
    this.worker = new Worker(path.join(__dirname, 'espeak-thread.js'), { workerData: init });
    this.ready = new Promise<void>((resolve, reject) => {
      this.worker.on('message', (reply: EspeakReply) => {
        if (reply.kind === 'ready') resolve();
        else if (reply.kind === 'init-failed') reject(new SessionThreadError(`espeak-ng (${init.language}): ${reply.message}`));
        else this.settle(reply);
      });
      this.worker.on('error', (error) => {
        this.lastError = error;
      });
      this.worker.on('exit', (code) => {
        const reason = this.terminating ? 'was closed' : `crashed (exit code ${code}${this.lastError ? `: ${this.lastError.message}` : ''})`;
        this.exitError = new SessionThreadError(`espeak-ng thread ${reason}`);
        reject(this.exitError);
        for (const { reject: fail } of this.pending.values()) fail(this.exitError);
        this.pending.clear();
      });
    });
  }

  get alive(): boolean {
    return this.exitError === undefined;
  }

  phonemize(clauses: string[]): Promise<string[]> {
    if (this.exitError) return Promise.reject(this.exitError);
    const id = this.nextId++;
    return new Promise<string[]>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, clauses } satisfies EspeakRequest);
    });
  }

  async terminate(): Promise<void> {
    this.terminating = true;
    await this.worker.terminate();
  }

  private settle(reply: Extract<EspeakReply, { id: number }>): void {
    const pending = this.pending.get(reply.id);
    this.pending.delete(reply.id);
    if (reply.kind === 'result') pending?.resolve(reply.phonemes);
    else pending?.reject(new SessionThreadError(`espeak-ng failed: ${reply.message}`));
  }
}

/**
 * Text → IPA with espeak-ng (the npm package `phonemizer`, WebAssembly) in a worker thread: a
 * phonemization takes 10-200 ms of CPU, too long for the worker's event loop. A crashed thread is
 * replaced on the next call.
 */
export class EspeakPhonemizer {
  private thread?: EspeakThread;
  private closed = false;

  private constructor(private readonly language: string) {}

  /** Starts the thread and waits until espeak-ng has loaded `language` (an espeak-ng voice such as `en-us`). */
  static async start(language: string): Promise<EspeakPhonemizer> {
    const phonemizer = new EspeakPhonemizer(language);
    await phonemizer.live();
    return phonemizer;
  }

  /** One IPA string per clause (clause punctuation is not part of the output). */
  async phonemize(clauses: string[]): Promise<string[]> {
    const thread = await this.live();
    return thread.phonemize(clauses);
  }

  async close(): Promise<void> {
    this.closed = true;
    const thread = this.thread;
    this.thread = undefined;
    await thread?.terminate();
  }

  private async live(): Promise<EspeakThread> {
    if (this.closed) throw new SessionThreadError('espeak-ng phonemizer is closed');
    if (!this.thread?.alive) this.thread = new EspeakThread({ language: this.language });
    const thread = this.thread;
    try {
      await thread.ready;
    } catch (error) {
      await thread.terminate();
      throw error;
    }
    return thread;
  }
}
