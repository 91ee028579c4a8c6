/** A worker thread as its owner sees it: whether it still runs, and how to end it. */
export interface OwnedThread {
  readonly alive: boolean;
  terminate(): Promise<void>;
}

export interface RestartingThreadOptions<T extends OwnedThread> {
  /** Starts a new thread. */
  open(): T;
  /** Waits until a new thread is ready for work (and warms it); the thread is terminated when this fails. */
  prepare(thread: T): Promise<void>;
  /** What a call is told once the owner has closed the thread. */
  closedError(): Error;
  /** Called when a thread that died is about to be replaced. */
  onRestart?(): void;
}

/**
 * The one thread of a session host, the llama.cpp generator or the espeak-ng phonemizer: started on
 * first use, started again by the next call after it died (calls during a start share it), ended
 * for good by `close`.
 */
export class RestartingThread<T extends OwnedThread> {
  private thread?: T;
  private starting?: Promise<T>;
  private closed = false;

  constructor(private readonly options: RestartingThreadOptions<T>) {}

  /** The running thread; a new one when there is none or it died. */
  live(): Promise<T> {
    if (this.closed) return Promise.reject(this.options.closedError());
    if (this.thread?.alive) return Promise.resolve(this.thread);
    if (this.thread) this.options.onRestart?.();
    this.thread = undefined;
    this.starting ??= this.start().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  async close(): Promise<void> {
    this.closed = true;
    const thread = this.thread ?? (await this.starting?.catch(() => undefined));
    this.thread = undefined;
    await thread?.terminate();
  }

  private async start(): Promise<T> {
    const thread = this.options.open();
    try {
      await this.options.prepare(thread);
    } catch (error) {
      await thread.terminate();
      throw error;
    }
    if (this.closed) {
      await thread.terminate();
      throw this.options.closedError();
    }
    this.thread = thread;
    return thread;
  }
}
