import path from 'node:path';
import type { WireTensors } from './session-protocol';
import { RestartingThread } from './restarting-thread';
import { SessionConnection } from './session-connection';
import { SessionThreadError } from '../registry/model-errors';
import type { ExecutionProvider } from '../registry/model-capabilities';

export interface SessionHostOptions {
  /** Names the session in errors and log lines (the model id). */
  name: string;
  /** The .onnx file. */
  modelPath: string;
  /** Asked-for provider; `cuda` falls back to `cpu` with a log line when it cannot be used. */
  executionProvider: ExecutionProvider;
  /** onnxruntime intra-op threads (default 1). */
  intraOpThreads?: number;
  /** Feeds for the warm-up run made every time the thread starts (given the session's input names); a fresh set per call, as the buffers are moved. */
  warmupFeeds: (inputNames: string[]) => WireTensors;
  /** Thread entry script (default: the compiled session-thread.js beside this file). */
  threadEntry?: string;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

/**
 * An ONNX session living in a worker thread. Runs are posted to it, so inference never blocks
 * this thread. A crashed thread fails its open calls; the next call starts a new one.
 */
export class SessionHost {
  private readonly thread: RestartingThread<SessionConnection>;
  private provider: ExecutionProvider = 'cpu';
  private names: { inputs: string[]; outputs: string[] } = { inputs: [], outputs: [] };

  private constructor(private readonly options: SessionHostOptions) {
    const { name, modelPath, executionProvider, intraOpThreads = 1 } = options;
    const entry = options.threadEntry ?? path.join(__dirname, 'session-thread.js');
    this.thread = new RestartingThread({
      open: () => new SessionConnection(entry, { modelPath, executionProvider, intraOpThreads }, name),
      prepare: (connection) => this.prepare(connection),
      closedError: () => new SessionThreadError(`${name}: session is closed`),
      onRestart: () => this.log('session thread died, starting a new one', { model: name }),
    });
  }

  /** Starts the thread, creates the session and warms it; resolves once it is ready for work. */
  static async start(options: SessionHostOptions): Promise<SessionHost> {
    const host = new SessionHost(options);
    await host.thread.live();
    return host;
  }

  get executionProvider(): ExecutionProvider {
    return this.provider;
  }

  get inputNames(): string[] {
    return this.names.inputs;
  }

  get outputNames(): string[] {
    return this.names.outputs;
  }

  /** Runs the session; feed buffers that own their whole ArrayBuffer are moved to the thread (detached here). */
  async run(feeds: WireTensors): Promise<WireTensors> {
    const connection = await this.thread.live();
    return connection.run(feeds);
  }

  close(): Promise<void> {
    return this.thread.close();
  }

  private async prepare(connection: SessionConnection): Promise<void> {
    const ready = await connection.ready;
    if (ready.fallbackReason) {
      this.log(`execution provider ${this.options.executionProvider} unavailable, using ${ready.executionProvider}`, {
        model: this.options.name,
        reason: ready.fallbackReason,
      });
    }
    this.provider = ready.executionProvider;
    this.names = { inputs: ready.inputNames, outputs: ready.outputNames };
    await connection.run(this.options.warmupFeeds(ready.inputNames));
  }

  private log(message: string, fields?: Record<string, unknown>): void {
    this.options.log?.(message, fields);
  }
}
