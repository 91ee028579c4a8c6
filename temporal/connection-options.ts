import type { TLSConfig } from '@temporalio/client';
import { readFileSync } from 'node:fs';

/** Default frontend address when neither an argument nor `TEMPORAL_ADDRESS` gives one. */
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

/**
 * Builds connection options from the environment:
 * - `TEMPORAL_ADDRESS` (used when `address` is not given; default `127.0.0.1:7233`)
 * - `TEMPORAL_TLS_CERT` / `TEMPORAL_TLS_KEY`: client certificate and key for mTLS (file paths or PEM text; both or neither)
 * - `TEMPORAL_TLS_CA`: server root CA (file path or PEM text)
 * - `TEMPORAL_TLS_SERVER_NAME`: SNI / host name override
 * - `TEMPORAL_API_KEY`: API key (implies TLS); `TEMPORAL_NAMESPACE` is then sent as `temporal-namespace` metadata
 * - `TEMPORAL_TLS`: `true` forces TLS without any of the above, `false` disables it
 */
export function temporalConnectionOptions(address?: string, env: NodeJS.ProcessEnv = process.env): TemporalConnectionOptions {
  const options: TemporalConnectionOptions = { address: address || env.TEMPORAL_ADDRESS || DEFAULT_TEMPORAL_ADDRESS };
  const cert = env.TEMPORAL_TLS_CERT;
  const key = env.TEMPORAL_TLS_KEY;
  if (Boolean(cert) !== Boolean(key)) {
    throw new Error(`${cert ? 'TEMPORAL_TLS_KEY' : 'TEMPORAL_TLS_CERT'} must be set too: mTLS needs both the client certificate and its key`);
  }
  const tls: TLSConfig = {};
  if (cert && key) tls.clientCertPair = { crt: pem(cert, 'TEMPORAL_TLS_CERT'), key: pem(key, 'TEMPORAL_TLS_KEY') };
  if (env.TEMPORAL_TLS_CA) tls.serverRootCACertificate = pem(env.TEMPORAL_TLS_CA, 'TEMPORAL_TLS_CA');
  if (env.TEMPORAL_TLS_SERVER_NAME) tls.serverNameOverride = env.TEMPORAL_TLS_SERVER_NAME;
  if (env.TEMPORAL_API_KEY) {
    options.apiKey = env.TEMPORAL_API_KEY;
    if (env.TEMPORAL_NAMESPACE) options.metadata = { 'temporal-namespace': env.TEMPORAL_NAMESPACE };
  }

  const forced = parseTlsFlag(env.TEMPORAL_TLS);
  const wantsTls = forced ?? (Object.keys(tls).length > 0 || options.apiKey !== undefined);
  if (wantsTls) options.tls = tls;
  return options;
}

/** `TEMPORAL_NAMESPACE`, or `default`. */
export function temporalNamespace(env: NodeJS.ProcessEnv = process.env): string {
  return env.TEMPORAL_NAMESPACE || 'default';
}

function parseTlsFlag(value: string | undefined): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new Error(`TEMPORAL_TLS must be true or false, got ${JSON.stringify(value)}`);
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
