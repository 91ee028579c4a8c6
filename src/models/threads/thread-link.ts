import { Worker } from 'node:worker_threads';
import { SessionThreadError } from '../registry/model-errors';

/** What every open call to a thread can be told when the thread dies. */
export interface PendingCall {
  reject(error: Error): void;
}

/**
 * One worker thread's lifetime, shared by the ONNX session, llama.cpp and espeak-ng threads: a
 * `ready` promise the thread settles, calls waiting for their answer by id, and every open call
 * failed (and `ready` rejected) with a clear error when the thread exits or crashes.
 */
export abstract class ThreadLink<Ready, Pending extends PendingCall, ThreadMessage> {
  readonly ready: Promise<Ready>;
  protected readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private settleReady!: { resolve: (ready: Ready) => void; reject: (error: Error) => void };
  private lastError?: Error;
  private exitError?: SessionThreadError;
  protected terminating = false;

  constructor(
    entry: string,
    workerData: unknown,
    protected readonly label: string,
    /** Names the thread in the exit error, e.g. "session thread". */
    private readonly threadName: string,
  ) {
    this.ready = new Promise<Ready>((resolve, reject) => {
      this.settleReady = { resolve, reject };
    });
    this.worker = new Worker(entry, { workerData });
    this.worker.on('message', (message: ThreadMessage) => this.onMessage(message));
    this.worker.on('error', (error) => {
      this.lastError = error;
    });
    this.worker.on('exit', (code) => this.onExit(code));
  }

  get alive(): boolean {
    return this.exitError === undefined;
  }

  /** Why no call can be made any more (the thread exited), if so. */
  protected get exited(): SessionThreadError | undefined {
    return this.exitError;
  }

  /** Ends the thread; open calls fail with "was closed". */
  async terminate(): Promise<void> {
    this.terminating = true;
    await this.worker.terminate();
  }

  protected abstract onMessage(message: ThreadMessage): void;

  /** Registers an open call; its id goes with the request. */
  protected open(pending: Pending): number {
    const id = this.nextId++;
    this.pending.set(id, pending);
    return id;
  }

  protected peek(id: number): Pending | undefined {
    return this.pending.get(id);
  }

  /** The open call answered by this message (removed from the open ones). */
  protected take(id: number): Pending | undefined {
    const pending = this.pending.get(id);
    this.pending.delete(id);
    return pending;
  }

  protected resolveReady(ready: Ready): void {
    this.settleReady.resolve(ready);
  }

  protected rejectReady(error: Error): void {
    this.settleReady.reject(error);
  }

  private onExit(code: number): void {
    const reason = this.terminating ? 'was closed' : `crashed (exit code ${code}${this.lastError ? `: ${this.lastError.message}` : ''})`;
    this.exitError = new SessionThreadError(`${this.label}: ${this.threadName} ${reason}`);
    this.settleReady.reject(this.exitError);
    for (const pending of this.pending.values()) pending.reject(this.exitError);
    this.pending.clear();
  }
}
