import { Client, Connection } from '@temporalio/client';
import { temporalConnectionOptions } from '../../temporal/connection-options';
import type { OffloadConfig } from '../config/load-config';
import { OffloadClient } from './offload-client';

export interface ConnectedClient {
  offload: OffloadClient;
  connection: Connection;
}

/** Connects to Temporal (dev server or cluster, TLS from the environment) and wraps it in an OffloadClient. */
export async function connectClient(config: OffloadConfig): Promise<ConnectedClient> {
  const connection = await Connection.connect(temporalConnectionOptions(config.temporalAddress));
  const client = new Client({ connection, namespace: config.namespace });
  return { offload: new OffloadClient({ client, config }), connection };
}
