import { NativeConnection } from '@temporalio/worker';
import { temporalConnectionOptions } from '../../temporal/connection-options';
import type { OffloadConfig } from '../config/load-config';

export async function connectWorker(config: Pick<OffloadConfig, 'temporalAddress'>): Promise<NativeConnection> {
  return NativeConnection.connect(temporalConnectionOptions(config.temporalAddress));
}
