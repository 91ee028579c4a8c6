import path from 'node:path';
import { SessionThreadError } from '../registry/model-errors';
import { RestartingThread } from '../threads/restarting-thread';
import { CallConnection } from '../threads/call-connection';
import type { EspeakRequest, EspeakThreadInit } from './espeak-protocol';

type EspeakConnection = CallConnection<Omit<EspeakRequest, 'id'>, string[]>;

/**
 * Text → IPA with espeak-ng (the npm package `phonemizer`, WebAssembly) in a worker thread: a
 * phonemization takes 10-200 ms of CPU, too long for the worker's event loop. A crashed thread is
 * replaced on the next call.
 */
export class EspeakPhonemizer {
  private readonly thread: RestartingThread<EspeakConnection>;

  private constructor(language: string) {
    this.thread = new RestartingThread({
      open: (): EspeakConnection =>
        new CallConnection(path.join(__dirname, 'espeak-thread.js'), { language } satisfies EspeakThreadInit, `espeak-ng (${language})`, 'espeak-ng failed'),
      prepare: (connection) => connection.ready,
      closedError: () => new SessionThreadError('espeak-ng phonemizer is closed'),
    });
  }

  /** Starts the thread and waits until espeak-ng has loaded `language` (an espeak-ng voice such as `en-us`). */
  static async start(language: string): Promise<EspeakPhonemizer> {
    const phonemizer = new EspeakPhonemizer(language);
    await phonemizer.thread.live();
    return phonemizer;
  }

  /** One IPA string per clause (clause punctuation is not part of the output). */
  async phonemize(clauses: string[]): Promise<string[]> {
    const connection = await this.thread.live();
    return connection.call({ clauses });
  }

  close(): Promise<void> {
    return this.thread.close();
  }
}
