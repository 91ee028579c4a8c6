import type { TLSConfig } from '@temporalio/client';
import { readFileSync } from 'node:fs';
import type { OffloadConfig } from '../src/config/load-config';

/** Default frontend address when `TEMPORAL_ADDRESS` gives none. */
export const DEFAULT_TEMPORAL_ADDRESS = '127.0.0.1:7233';

/**
 * Connection options that fit both `Connection.connect` (client) and `NativeConnection.connect`
 * (worker).
 */
export interface TemporalConnectionOptions {
  /** Frontend `host:port`. */
  address: string;
  /** TLS settings; absent for a plain-text connection. */
  tls?: TLSConfig;
  /** API key (Temporal Cloud), sent as a bearer token. */
  apiKey?: string;
  /** gRPC metadata sent with every call. */
  metadata?: Record<string, string>;
}

/** The parts of the Offload config a Temporal connection needs. */
export type TemporalConnectionConfig = Pick<OffloadConfig, 'temporalAddress' | 'namespace' | 'temporalConnection'>;

/**
 * Connection options from the config (`TEMPORAL_ADDRESS`, default `127.0.0.1:7233`; `TEMPORAL_TLS_*`;
 * `TEMPORAL_API_KEY`, which turns TLS on and routes by namespace; `TEMPORAL_TLS` forces TLS on or off).
 * Certificates given as file paths are read here.
 */
export function temporalConnectionOptions(config: TemporalConnectionConfig): TemporalConnectionOptions {
  const settings = config.temporalConnection;
  const options: TemporalConnectionOptions = { address: config.temporalAddress ?? DEFAULT_TEMPORAL_ADDRESS };
  const tls: TLSConfig = {};
  const pair = settings.clientCertPair;
  if (pair) tls.clientCertPair = { crt: pem(pair.cert, 'TEMPORAL_TLS_CERT'), key: pem(pair.key, 'TEMPORAL_TLS_KEY') };
  if (settings.serverRootCa) tls.serverRootCACertificate = pem(settings.serverRootCa, 'TEMPORAL_TLS_CA');
  if (settings.serverName) tls.serverNameOverride = settings.serverName;
  if (settings.apiKey) {
    options.apiKey = settings.apiKey;
    options.metadata = { 'temporal-namespace': config.namespace };
  }
  const wantsTls = settings.tls ?? (Object.keys(tls).length > 0 || options.apiKey !== undefined);
  if (wantsTls) options.tls = tls;
  return options;
}

/** PEM text given inline, or read from the file the variable names. */
function pem(value: string, variable: string): Buffer {
  if (value.includes('-----BEGIN')) return Buffer.from(value);
  try {
    return readFileSync(value);
  } catch (err) {
    throw new Error(`${variable}=${value}: cannot read the file (${(err as Error).message})`, { cause: err });
  }
}
