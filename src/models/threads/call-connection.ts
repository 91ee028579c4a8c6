import { SessionThreadError } from '../registry/model-errors';
import { ThreadLink } from './thread-link';

/** What a call thread (the espeak-ng threads) posts back: ready or not, then one answer per call id. */
export type CallReply<Result> =
  | { kind: 'ready' }
  | { kind: 'init-failed'; message: string }
  | { kind: 'result'; id: number; value: Result }
  | { kind: 'failed'; id: number; message: string };

interface Pending<Result> {
  resolve: (value: Result) => void;
  reject: (error: Error) => void;
}

/** A thread that answers calls one by one: requests in (with an id), results out, every open call failed when it dies. */
export class CallConnection<Request extends object, Result> extends ThreadLink<void, Pending<Result>, CallReply<Result>> {
  constructor(
    entry: string,
    init: unknown,
    label: string,
    /** Starts the message of a failed call, e.g. "espeak-ng failed". */
    private readonly failure: string,
  ) {
    super(entry, init, label, 'thread');
  }

  call(request: Request): Promise<Result> {
    if (this.exited) return Promise.reject(this.exited);
    return new Promise<Result>((resolve, reject) => {
      const id = this.open({ resolve, reject });
      this.worker.postMessage({ ...request, id });
    });
  }

  protected onMessage(reply: CallReply<Result>): void {
    switch (reply.kind) {
      case 'ready':
        this.resolveReady();
        return;
      case 'init-failed':
        this.rejectReady(new SessionThreadError(`${this.label}: ${reply.message}`));
        return;
      case 'result':
        this.take(reply.id)?.resolve(reply.value);
        return;
      case 'failed':
        this.take(reply.id)?.reject(new SessionThreadError(`${this.failure}: ${reply.message}`));
        return;
    }
  }
}
