import { Worker } from 'node:worker_threads';
import type { ThreadInit, ThreadMessage, WireTensors } from './session-protocol';
import { transferList } from './session-protocol';
import { SessionThreadError } from './types';

export type ReadyMessage = Extract<ThreadMessage, { kind: 'ready' }>;

interface Pending {
  resolve: (outputs: WireTensors) => void;
  reject: (error: Error) => void;
}

/** One session thread's lifetime: routes runs to it and fails every open call when it dies. */
export class ThreadConnection {
  readonly ready: Promise<ReadyMessage>;
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private settleReady!: { resolve: (ready: ReadyMessage) => void; reject: (error: Error) => void };
  private lastError?: Error;
  private exitError?: SessionThreadError;
  private terminating = false;

  constructor(
    entry: string,
    init: ThreadInit,
    private readonly label: string,
  ) {
    this.ready = new Promise<ReadyMessage>((resolve, reject) => {
      this.settleReady = { resolve, reject };
    });
    this.worker = new Worker(entry, { workerData: init });
    this.worker.on('message', (message: ThreadMessage) => this.onMessage(message));
    this.worker.on('error', (error) => {
      this.lastError = error;
    });
    this.worker.on('exit', (code) => this.onExit(code));
  }

  get alive(): boolean {
    return this.exitError === undefined;
  }

  run(feeds: WireTensors): Promise<WireTensors> {
    if (this.exitError) return Promise.reject(this.exitError);
    const id = this.nextId++;
    return new Promise<WireTensors>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ kind: 'run', id, feeds }, transferList(feeds));
    });
  }

  async terminate(): Promise<void> {
    this.terminating = true;
    await this.worker.terminate();
  }

  private onMessage(message: ThreadMessage): void {
    switch (message.kind) {
      case 'ready':
        this.settleReady.resolve(message);
        return;
      case 'init-failed':
        this.settleReady.reject(new SessionThreadError(`${this.label}: could not create the ONNX session: ${message.message}`));
        return;
      case 'result':
        this.take(message.id)?.resolve(message.outputs);
        return;
      case 'run-failed':
        this.take(message.id)?.reject(new SessionThreadError(`${this.label}: inference failed: ${message.message}`));
        return;
    }
  }

  private take(id: number): Pending | undefined {
    const pending = this.pending.get(id);
    this.pending.delete(id);
    return pending;
  }

  private onExit(code: number): void {
    const reason = this.terminating
      ? 'was closed'
      : `crashed (exit code ${code}${this.lastError ? `: ${this.lastError.message}` : ''})`;
    this.exitError = new SessionThreadError(`${this.label}: session thread ${reason}`);
    this.settleReady.reject(this.exitError);
    for (const pending of this.pending.values()) pending.reject(this.exitError);
    this.pending.clear();
  }
}
