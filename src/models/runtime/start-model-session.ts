import path from 'node:path';
import type { WireTensors } from '../threads/session-protocol';
import { SessionHost } from '../threads/session-host';
import type { LoadContext } from './load-context';

export type SessionContext = Pick<LoadContext, 'manifest' | 'dir' | 'executionProvider' | 'intraOpThreads'> & {
  log?: LoadContext['log'];
};

/** Starts the session thread for one .onnx file of an installed model, with the loader's provider, threads and log. */
export function startModelSession(
  context: SessionContext,
  file: string,
  warmupFeeds: (inputNames: string[]) => WireTensors,
  name: string = context.manifest.id,
): Promise<SessionHost> {
  return SessionHost.start({
    name,
    modelPath: path.join(context.dir, file),
    executionProvider: context.executionProvider,
    intraOpThreads: context.intraOpThreads,
    warmupFeeds,
    log: context.log,
  });
}
