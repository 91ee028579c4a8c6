import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_TEMPORAL_ADDRESS, temporalConnectionOptions, temporalNamespace } from '../../../temporal/connection-options';

const PEM = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';

describe('temporalConnectionOptions', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'offload-tls-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('plain text by default; the argument beats TEMPORAL_ADDRESS', () => {
    expect(temporalConnectionOptions(undefined, {})).toEqual({ address: DEFAULT_TEMPORAL_ADDRESS });
    expect(temporalConnectionOptions(undefined, { TEMPORAL_ADDRESS: 'temporal:7233' })).toEqual({ address: 'temporal:7233' });
    expect(temporalConnectionOptions('x:1', { TEMPORAL_ADDRESS: 'temporal:7233' }).address).toBe('x:1');
  });

  test('mTLS from files, CA inline, server name', () => {
    writeFileSync(join(dir, 'client.pem'), 'CERT');
    writeFileSync(join(dir, 'client.key'), 'KEY');
    const options = temporalConnectionOptions('h:7233', {
      TEMPORAL_TLS_CERT: join(dir, 'client.pem'),
      TEMPORAL_TLS_KEY: join(dir, 'client.key'),
      TEMPORAL_TLS_CA: PEM,
      TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
    });
    expect(Buffer.from(options.tls?.clientCertPair?.crt ?? []).toString()).toBe('CERT');
    expect(Buffer.from(options.tls?.clientCertPair?.key ?? []).toString()).toBe('KEY');
    expect(Buffer.from(options.tls?.serverRootCACertificate ?? []).toString()).toBe(PEM);
    expect(options.tls?.serverNameOverride).toBe('temporal.internal');
  });

  test('an API key turns TLS on and routes by namespace', () => {
    const options = temporalConnectionOptions('ns.tmprl.cloud:7233', { TEMPORAL_API_KEY: 'k', TEMPORAL_NAMESPACE: 'ns.acct' });
    expect(options).toEqual({ address: 'ns.tmprl.cloud:7233', apiKey: 'k', metadata: { 'temporal-namespace': 'ns.acct' }, tls: {} });
  });

  test('TEMPORAL_TLS forces TLS on or off', () => {
    expect(temporalConnectionOptions('h:1', { TEMPORAL_TLS: 'true' }).tls).toEqual({});
    expect(temporalConnectionOptions('h:1', { TEMPORAL_TLS: 'false', TEMPORAL_API_KEY: 'k' }).tls).toBeUndefined();
    expect(() => temporalConnectionOptions('h:1', { TEMPORAL_TLS: 'maybe' })).toThrow(/TEMPORAL_TLS/);
  });

  test('bad TLS settings name the variable', () => {
    expect(() => temporalConnectionOptions('h:1', { TEMPORAL_TLS_CERT: PEM })).toThrow(/TEMPORAL_TLS_KEY must be set/);
    expect(() => temporalConnectionOptions('h:1', { TEMPORAL_TLS_CA: join(dir, 'missing.pem') })).toThrow(/TEMPORAL_TLS_CA=.*cannot read/);
  });

  test('namespace defaults to default', () => {
    expect(temporalNamespace({})).toBe('default');
    expect(temporalNamespace({ TEMPORAL_NAMESPACE: 'offload' })).toBe('offload');
  });
});
