import { NativeConnection } from '@temporalio/worker';
import { temporalConnectionOptions, type TemporalConnectionConfig } from './connection-options';

export async function connectWorker(config: TemporalConnectionConfig): Promise<NativeConnection> {
  return NativeConnection.connect(temporalConnectionOptions(config));
}
