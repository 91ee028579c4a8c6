import { Client, Connection, type WorkflowClientInterceptor } from '@temporalio/client';
import { temporalConnectionOptions } from '../../temporal/connection-options';
import type { OffloadConfig } from '../config/load-config';
import { OffloadClient } from './offload-client';

export interface ConnectedClient {
  offload: OffloadClient;
  connection: Connection;
}

export interface ConnectClientOptions {
  /** Workflow-client interceptors (telemetry: `clientTelemetryInterceptors`). */
  interceptors?: WorkflowClientInterceptor[];
}

/** Connects to Temporal (dev server or cluster, TLS as configured) and wraps it in an OffloadClient. */
export async function connectClient(config: OffloadConfig, options: ConnectClientOptions = {}): Promise<ConnectedClient> {
  const connection = await Connection.connect(temporalConnectionOptions(config));
  const client = new Client({ connection, namespace: config.namespace, interceptors: { workflow: options.interceptors ?? [] } });
  return { offload: new OffloadClient({ client, config }), connection };
}
