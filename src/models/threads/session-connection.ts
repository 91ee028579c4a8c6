import type { ThreadInit, ThreadMessage, WireTensors } from './session-protocol';
import { transferList } from './session-protocol';
import { ThreadLink } from './thread-link';
import { SessionThreadError } from '../registry/model-errors';

export type ReadyMessage = Extract<ThreadMessage, { kind: 'ready' }>;

interface Pending {
  resolve: (outputs: WireTensors) => void;
  reject: (error: Error) => void;
}

/** One session thread's lifetime: routes runs to it and fails every open call when it dies. */
export class SessionConnection extends ThreadLink<ReadyMessage, Pending, ThreadMessage> {
  constructor(entry: string, init: ThreadInit, label: string) {
    super(entry, init, label, 'session thread');
  }

  run(feeds: WireTensors): Promise<WireTensors> {
    if (this.exited) return Promise.reject(this.exited);
    return new Promise<WireTensors>((resolve, reject) => {
      const id = this.open({ resolve, reject });
      this.worker.postMessage({ kind: 'run', id, feeds }, transferList(feeds));
    });
  }

  protected onMessage(message: ThreadMessage): void {
    switch (message.kind) {
      case 'ready':
        this.resolveReady(message);
        return;
      case 'init-failed':
        this.rejectReady(new SessionThreadError(`${this.label}: could not create the ONNX session: ${message.message}`));
        return;
      case 'result':
        this.take(message.id)?.resolve(message.outputs);
        return;
      case 'run-failed':
        this.take(message.id)?.reject(new SessionThreadError(`${this.label}: inference failed: ${message.message}`));
        return;
    }
  }
}
