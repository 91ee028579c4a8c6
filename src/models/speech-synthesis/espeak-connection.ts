import { SessionThreadError } from '../registry/model-errors';
import { ThreadLink } from '../threads/thread-link';
import type { EspeakReply, EspeakRequest, EspeakThreadInit } from './espeak-protocol';

interface Pending {
  resolve: (phonemes: string[]) => void;
  reject: (error: Error) => void;
}

/** One espeak-ng thread's lifetime: requests in, replies out, every open request failed when it dies. */
export class EspeakConnection extends ThreadLink<void, Pending, EspeakReply> {
  constructor(entry: string, init: EspeakThreadInit) {
    super(entry, init, `espeak-ng (${init.language})`, 'thread');
  }

  phonemize(clauses: string[]): Promise<string[]> {
    if (this.exited) return Promise.reject(this.exited);
    return new Promise<string[]>((resolve, reject) => {
      const id = this.open({ resolve, reject });
      this.worker.postMessage({ id, clauses } satisfies EspeakRequest);
    });
  }

  protected onMessage(reply: EspeakReply): void {
    switch (reply.kind) {
      case 'ready':
        this.resolveReady();
        return;
      case 'init-failed':
        this.rejectReady(new SessionThreadError(`${this.label}: ${reply.message}`));
        return;
      case 'result':
        this.take(reply.id)?.resolve(reply.phonemes);
        return;
      case 'failed':
        this.take(reply.id)?.reject(new SessionThreadError(`espeak-ng failed: ${reply.message}`));
        return;
    }
  }
}
