import type { OffloadConfig } from '../src/config/load-config';
import { startDevServer, type DevServer } from './dev-server';
import { resolveTemporalCli, type TemporalCliConfig } from './install-cli';

/** The parts of the Offload config the persisted dev server needs. */
export type LocalDevServerConfig = TemporalCliConfig & Pick<OffloadConfig, 'devServer' | 'namespace'>;

/** Options for {@link startLocalDevServer}. */
export interface LocalDevServerOptions {
  /** Receives the launcher's messages (a first-time Go build among them) and every server line. */
  log: (msg: string) => void;
  /** Run the server in its own process group (see `DevServerOptions.detached`). Default: false. */
  detached?: boolean;
}

/**
 * Starts the persisted dev server the config describes: gRPC on `OFFLOAD_TEMPORAL_PORT` (7233),
 * the Web UI on `OFFLOAD_TEMPORAL_UI_PORT` (8233), state in `<data dir>/temporal.db`.
 */
export async function startLocalDevServer(config: LocalDevServerConfig, options: LocalDevServerOptions): Promise<DevServer> {
  return startDevServer({
    cliPath: await resolveTemporalCli(config, { log: options.log }),
    port: config.devServer.port,
    uiPort: config.devServer.uiPort,
    dbFile: config.devServer.dbFile,
    namespace: config.namespace,
    detached: options.detached,
    log: options.log,
  });
}

/** `npm run temporal` once it is up. */
export interface ServedDevServer {
  /** Stops the server (the signal is printed first). */
  stop(signal: NodeJS.Signals): Promise<void>;
  /** Rejects when the server exits without being asked to; never resolves. */
  crashed: Promise<never>;
}

/** `npm run temporal`: the local dev server with its addresses printed, and its output until it is stopped. */
export async function serveLocalDevServer(config: LocalDevServerConfig): Promise<ServedDevServer> {
  let stopping = false;
  const server = await startLocalDevServer(config, {
    // The server's own shutdown chatter (connection refused, poll failures) is noise.
    log: (msg) => {
      if (!stopping) console.log(msg);
    },
  });
  console.log(`Temporal dev server: ${server.address} (namespace ${server.namespace}, pid ${server.pid})`);
  console.log(`Temporal Web UI:     ${server.uiUrl ?? '(headless)'}`);
  console.log(`State:               ${config.devServer.dbFile}`);
  console.log('Ctrl-C to stop.');
  return {
    async stop(signal) {
      stopping = true;
      console.log(`${signal}: stopping the Temporal dev server...`);
      await server.stop();
    },
    crashed: server.exited.then(() => {
      if (stopping) return new Promise<never>(() => undefined);
      throw new Error('The Temporal dev server exited unexpectedly; its output is above.');
    }),
  };
}
