import path from 'node:path';
import type { WireTensors } from './session-protocol';
import { ThreadConnection } from './thread-connection';
import { SessionThreadError } from './registry/model-errors';
import type { ExecutionProvider } from './registry/model-capabilities';

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
  private connection?: ThreadConnection;
  private starting?: Promise<ThreadConnection>;
  private closed = false;
  private provider: ExecutionProvider = 'cpu';
  private names: { inputs: string[]; outputs: string[] } = { inputs: [], outputs: [] };

  private constructor(private readonly options: SessionHostOptions) {}

  /** Starts the thread, creates the session and warms it; resolves once it is ready for work. */
  static async start(options: SessionHostOptions): Promise<SessionHost> {
    const host = new SessionHost(options);
    await host.live();
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
    const connection = await this.live();
    return connection.run(feeds);
  }

  async close(): Promise<void> {
    this.closed = true;
    const connection = this.connection ?? (await this.starting?.catch(() => undefined));
    this.connection = undefined;
    await connection?.terminate();
  }

  private live(): Promise<ThreadConnection> {
    if (this.closed) return Promise.reject(new SessionThreadError(`${this.options.name}: session is closed`));
    if (this.connection?.alive) return Promise.resolve(this.connection);
    if (this.connection) this.log('session thread died, starting a new one', { model: this.options.name });
    this.connection = undefined;
    this.starting ??= this.spawn().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private async spawn(): Promise<ThreadConnection> {
    const { name, modelPath, executionProvider, intraOpThreads = 1 } = this.options;
    const entry = this.options.threadEntry ?? path.join(__dirname, 'session-thread.js');
    const connection = new ThreadConnection(entry, { modelPath, executionProvider, intraOpThreads }, name);
    try {
      const ready = await connection.ready;
      if (ready.fallbackReason) {
        this.log(`execution provider ${executionProvider} unavailable, using ${ready.executionProvider}`, {
          model: name,
          reason: ready.fallbackReason,
        });
      }
      this.provider = ready.executionProvider;
      this.names = { inputs: ready.inputNames, outputs: ready.outputNames };
      await connection.run(this.options.warmupFeeds(ready.inputNames));
    } catch (error) {
      await connection.terminate();
      throw error;
    }
    if (this.closed) {
      await connection.terminate();
      throw new SessionThreadError(`${name}: session is closed`);
    }
    this.connection = connection;
    return connection;
  }

  private log(message: string, fields?: Record<string, unknown>): void {
    this.options.log?.(message, fields);
  }
}
