import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config/load-config';
import { DEFAULT_TEMPORAL_ADDRESS, temporalConnectionOptions } from '../../../temporal/connection-options';

const optionsFrom = (env: Record<string, string>) => temporalConnectionOptions(loadConfig(env));

const PEM = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';

describe('temporalConnectionOptions', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'offload-tls-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('plain text by default; an address in the config beats TEMPORAL_ADDRESS', () => {
    expect(optionsFrom({})).toEqual({ address: DEFAULT_TEMPORAL_ADDRESS });
    expect(optionsFrom({ TEMPORAL_ADDRESS: 'temporal:7233' })).toEqual({ address: 'temporal:7233' });
    expect(temporalConnectionOptions({ ...loadConfig({ TEMPORAL_ADDRESS: 'temporal:7233' }), temporalAddress: 'x:1' }).address).toBe('x:1');
  });

  test('mTLS from files, CA inline, server name', () => {
    writeFileSync(join(dir, 'client.pem'), 'CERT');
    writeFileSync(join(dir, 'client.key'), 'KEY');
    const options = optionsFrom({
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
    const options = optionsFrom({ TEMPORAL_ADDRESS: 'ns.tmprl.cloud:7233', TEMPORAL_API_KEY: 'k', TEMPORAL_NAMESPACE: 'ns.acct' });
    expect(options).toEqual({ address: 'ns.tmprl.cloud:7233', apiKey: 'k', metadata: { 'temporal-namespace': 'ns.acct' }, tls: {} });
  });

  test('TEMPORAL_TLS forces TLS on or off', () => {
    expect(optionsFrom({ TEMPORAL_TLS: 'true' }).tls).toEqual({});
    expect(optionsFrom({ TEMPORAL_TLS: 'false', TEMPORAL_API_KEY: 'k' }).tls).toBeUndefined();
    expect(() => optionsFrom({ TEMPORAL_TLS: 'maybe' })).toThrow(/TEMPORAL_TLS/);
  });

  test('bad TLS settings name the variable', () => {
    expect(() => optionsFrom({ TEMPORAL_TLS_CERT: PEM })).toThrow(/TEMPORAL_TLS_KEY must be set/);
    expect(() => optionsFrom({ TEMPORAL_TLS_CA: join(dir, 'missing.pem') })).toThrow(/TEMPORAL_TLS_CA=.*cannot read/);
  });

  test('namespace defaults to default', () => {
    expect(loadConfig({}).namespace).toBe('default');
    expect(loadConfig({ TEMPORAL_NAMESPACE: 'offload' }).namespace).toBe('offload');
  });
});
