import { homedir } from 'node:os';
import path from 'node:path';
import { DEFAULT_DEADLINES_MS, DEFAULT_ROUTES } from '../../../src/config/defaults';
import { ENV_VARIABLES, EMPTY_MEANS_UNSET } from '../../../src/config/env-schema';
import { ConfigError, loadConfig } from '../../../src/config/load-config';
import { findRepoRoot } from '../../../src/models/model-dirs';

const repo = findRepoRoot();

describe('loadConfig', () => {
  test('defaults: everything on this machine, paths resolved against the repository', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      temporalAddress: undefined,
      namespace: 'default',
      temporalConnection: { clientCertPair: undefined, serverRootCa: undefined, serverName: undefined, apiKey: undefined, tls: undefined },
      temporalCli: { path: undefined, searchPath: '' },
      devServer: { port: 7233, uiPort: 8233, dbFile: path.join(repo, 'data', 'temporal.db') },
      queuePrefix: 'offload',
      apiHost: '0.0.0.0',
      apiPort: 8000,
      robot: { id: 'rider-pi', host: '127.0.0.1', pubPort: 5555, subPort: 5556 },
      bridge: { taskQueue: 'offload-bridge', publicUrl: 'http://127.0.0.1:8000', ttsChunkMs: 500 },
      modelDir: path.join(repo, 'models'),
      modelSources: [path.resolve(repo, '..', 'shared', 'models')],
      dataDir: path.join(repo, 'data'),
      cacheDir: path.join(homedir(), '.cache', 'offload'),
      hardware: 'cpu',
      executionProvider: 'auto',
      workerSlots: 2,
      routes: DEFAULT_ROUTES,
      deadlinesMs: DEFAULT_DEADLINES_MS,
      pickupTimeoutMs: 3000,
      attemptsPerHardware: 2,
      maxPayloadBytes: 1024 * 1024,
      logLevel: 'info',
      logFormat: 'pretty',
      telemetry: { logPayloads: false, workerMetricsPort: 0, sdkMetrics: true, tracing: { enabled: false, serviceName: undefined, exporter: 'otlp' }, busTelemetry: true, statusIntervalMs: 5000 },
    });
  });

  test('routes: each listed task type gets its ladder, the others keep theirs', () => {
    const config = loadConfig({ OFFLOAD_ROUTES: 'vision.detection=cpu, voice.tts=gpu>cpu' });
    expect(config.routes).toEqual({ ...DEFAULT_ROUTES, 'vision.detection': ['cpu'], 'voice.tts': ['gpu', 'cpu'] });
    expect(() => loadConfig({ OFFLOAD_ROUTES: 'vision.detection=tpu' })).toThrow(/OFFLOAD_ROUTES: "vision\.detection=tpu" is not <task-type>=<hw>\[><hw>\]/);
    expect(() => loadConfig({ OFFLOAD_ROUTES: 'vision.segment=cpu' })).toThrow(/OFFLOAD_ROUTES: "vision\.segment=cpu"/);
  });

  test('deadlines: each listed task type gets its budget, the others keep theirs', () => {
    const config = loadConfig({ OFFLOAD_DEADLINES_MS: 'vision.frame=20000,voice.asr=7000' });
    expect(config.deadlinesMs).toEqual({ ...DEFAULT_DEADLINES_MS, 'vision.frame': 20000, 'voice.asr': 7000 });
    expect(() => loadConfig({ OFFLOAD_DEADLINES_MS: 'voice.asr=-5' })).toThrow(/OFFLOAD_DEADLINES_MS: "voice\.asr=-5" is not <task-type>=<milliseconds>/);
    expect(() => loadConfig({ OFFLOAD_DEADLINES_MS: 'voice.asr=soon' })).toThrow(/OFFLOAD_DEADLINES_MS: /);
  });

  test('model sources: colon separated, resolved, empty entries skipped', () => {
    expect(loadConfig({ OFFLOAD_MODEL_SOURCES: '/srv/models::relative/models' }).modelSources).toEqual(['/srv/models', path.resolve('relative/models')]);
  });

  test('a variable that is set but empty is an error naming it (OFFLOAD_API_PORT= is not port 0)', () => {
    expect(() => loadConfig({ OFFLOAD_API_PORT: '' })).toThrow(ConfigError);
    expect(() => loadConfig({ OFFLOAD_API_PORT: '' })).toThrow(/OFFLOAD_API_PORT: is set but empty/);
    expect(() => loadConfig({ TEMPORAL_API_KEY: '' })).toThrow(/TEMPORAL_API_KEY: is set but empty/);
    expect(() => loadConfig({ OFFLOAD_ROUTES: '', OFFLOAD_LOG_FORMAT: '' })).toThrow(/OFFLOAD_ROUTES: is set but empty.*OFFLOAD_LOG_FORMAT: is set but empty/);
    for (const name of ENV_VARIABLES.filter((variable) => !EMPTY_MEANS_UNSET.has(variable))) {
      expect(() => loadConfig({ [name]: '' })).toThrow(new RegExp(`${name}: is set but empty`));
    }
  });

  test('where their own specifications say so, an empty variable is unset', () => {
    const config = loadConfig({ XDG_CACHE_HOME: '', PATH: '', OTEL_EXPORTER_OTLP_ENDPOINT: '', OTEL_SERVICE_NAME: '' });
    expect(config.cacheDir).toBe(path.join(homedir(), '.cache', 'offload'));
    expect(config.temporalCli.searchPath).toBe('');
    expect(config.telemetry.tracing).toEqual({ enabled: false, serviceName: undefined, exporter: 'otlp' });
  });

  test('a bad value is an error naming the variable', () => {
    expect(() => loadConfig({ OFFLOAD_API_PORT: '80000' })).toThrow(/OFFLOAD_API_PORT: /);
    expect(() => loadConfig({ OFFLOAD_MAX_PAYLOAD_BYTES: 'lots' })).toThrow(/OFFLOAD_MAX_PAYLOAD_BYTES: /);
    expect(() => loadConfig({ OFFLOAD_TEMPORAL_PORT: '0' })).toThrow(/OFFLOAD_TEMPORAL_PORT: /);
    expect(() => loadConfig({ OFFLOAD_LOG_FORMAT: 'xml' })).toThrow(/OFFLOAD_LOG_FORMAT: /);
    expect(() => loadConfig({ TEMPORAL_TLS: 'maybe' })).toThrow(/TEMPORAL_TLS: must be true or false .*"maybe"/);
    expect(() => loadConfig({ OFFLOAD_HARDWARE: 'tpu', OFFLOAD_LOG_LEVEL: 'loud' })).toThrow(/OFFLOAD_HARDWARE: .*; OFFLOAD_LOG_LEVEL: /);
  });

  test('TLS: the client certificate and its key both or neither; the flag in any usual spelling', () => {
    expect(() => loadConfig({ TEMPORAL_TLS_CERT: '/etc/offload/client.pem' })).toThrow(/TEMPORAL_TLS_KEY must be set too/);
    expect(() => loadConfig({ TEMPORAL_TLS_KEY: '/etc/offload/client.key' })).toThrow(/TEMPORAL_TLS_CERT must be set too/);
    expect(loadConfig({}).temporalConnection.clientCertPair).toBeUndefined();
    const both = loadConfig({ TEMPORAL_TLS_CERT: '/etc/offload/client.pem', TEMPORAL_TLS_KEY: '/etc/offload/client.key', TEMPORAL_TLS_CA: '/etc/offload/ca.pem' });
    expect(both.temporalConnection).toMatchObject({ clientCertPair: { cert: '/etc/offload/client.pem', key: '/etc/offload/client.key' }, serverRootCa: '/etc/offload/ca.pem' });
    expect(loadConfig({ TEMPORAL_TLS: 'Yes' }).temporalConnection.tls).toBe(true);
    expect(loadConfig({ TEMPORAL_TLS: '0' }).temporalConnection.tls).toBe(false);
  });

  test('cache dir: OFFLOAD_CACHE_DIR, else XDG_CACHE_HOME/offload, else ~/.cache/offload', () => {
    expect(loadConfig({ OFFLOAD_CACHE_DIR: 'relative/cache', XDG_CACHE_HOME: '/xdg' }).cacheDir).toBe(path.resolve('relative/cache'));
    expect(loadConfig({ XDG_CACHE_HOME: '/xdg' }).cacheDir).toBe('/xdg/offload');
    expect(loadConfig({}).cacheDir).toBe(path.join(homedir(), '.cache', 'offload'));
  });

  test('model, data and dev-server paths follow their variables', () => {
    const config = loadConfig({ OFFLOAD_MODEL_DIR: 'my-models', OFFLOAD_DATA_DIR: '/var/lib/offload', OFFLOAD_TEMPORAL_PORT: '17233', OFFLOAD_TEMPORAL_UI_PORT: '18233' });
    expect(config.modelDir).toBe(path.resolve('my-models'));
    expect(config.dataDir).toBe('/var/lib/offload');
    expect(config.devServer).toEqual({ port: 17233, uiPort: 18233, dbFile: '/var/lib/offload/temporal.db' });
    expect(loadConfig({ OFFLOAD_DATA_DIR: 'state' }).dataDir).toBe(path.join(repo, 'state'));
  });

  test('tracing: on when asked, or with auto when an OTLP endpoint is set; OTEL_SERVICE_NAME and the console exporter pass through', () => {
    expect(loadConfig({ OFFLOAD_TRACING: 'on' }).telemetry.tracing.enabled).toBe(true);
    expect(loadConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' }).telemetry.tracing.enabled).toBe(true);
    expect(loadConfig({ OFFLOAD_TRACING: 'off', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).telemetry.tracing.enabled).toBe(false);
    expect(loadConfig({ OTEL_SERVICE_NAME: 'robot-pc', OTEL_TRACES_EXPORTER: 'console' }).telemetry.tracing).toEqual({ enabled: false, serviceName: 'robot-pc', exporter: 'console' });
  });

  test('the Temporal CLI: TEMPORAL_CLI and PATH; the environment is kept for child processes', () => {
    const env = { TEMPORAL_CLI: '/opt/temporal', PATH: '/usr/bin:/bin', HOME: '/home/robot' };
    const config = loadConfig(env);
    expect(config.temporalCli).toEqual({ path: '/opt/temporal', searchPath: '/usr/bin:/bin' });
    expect(config.childEnv).toEqual(env);
  });
});
