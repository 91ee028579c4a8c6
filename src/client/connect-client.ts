import { Client, Connection, type ConnectionLike, type WorkflowClientInterceptor } from '@temporalio/client';
import { temporalConnectionOptions } from '../../temporal/connection-options';
import type { OffloadConfig } from '../config/load-config';
import { OffloadClient } from './offload-client';

export interface ConnectedClient {
  offload: OffloadClient;
  /** Closes the connection this client opened (none when it shares a worker's). */
  close(): Promise<void>;
}

export interface ConnectClientOptions {
  /** Workflow-client interceptors (telemetry: `clientTelemetryInterceptors`). */
  interceptors?: WorkflowClientInterceptor[];
  /**
   * The NativeConnection of a worker in this process that hosts the runs it starts: on the fast path
   * the client shares it, so that a run's first workflow task comes back with its start (eager start).
   */
  workerConnection?: ConnectionLike;
}

/** Connects to Temporal (dev server or cluster, TLS as configured) and wraps it in an OffloadClient. */
export async function connectClient(config: OffloadConfig, options: ConnectClientOptions = {}): Promise<ConnectedClient> {
  const shared = config.fastPath ? options.workerConnection : undefined;
  const connection = shared ?? (await Connection.connect(temporalConnectionOptions(config)));
  const client = new Client({ connection, namespace: config.namespace, interceptors: { workflow: options.interceptors ?? [] } });
  return { offload: new OffloadClient({ client, config }), close: async () => (shared ? undefined : connection.close()) };
}
