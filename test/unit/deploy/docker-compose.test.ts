import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import {
  commandOf,
  dependenciesOf,
  dockerfileBaseImages,
  envOf,
  isPinnedImage,
  loadCompose,
  repoFileExists,
  repoPath,
  volumesOf,
  type ComposeService,
} from '../../harness/compose-file';

const compose = loadCompose();
const services = Object.entries(compose.services);
const APP_SERVICES = ['workflow-worker', 'worker-cpu', 'worker-gpu', 'bridge', 'api'];

function service(name: string): ComposeService {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
}

function dockerfileOf(s: ComposeService): string | undefined {
  if (s.build === undefined) return undefined;
  const context = typeof s.build === 'string' ? s.build : (s.build.context ?? '.');
  const dockerfile = typeof s.build === 'string' ? 'Dockerfile' : (s.build.dockerfile ?? 'Dockerfile');
  return `${context}/${dockerfile}`;
}

describe('docker-compose.yml', () => {
  test('has the production-like topology', () => {
    expect(Object.keys(compose.services)).toEqual(
      expect.arrayContaining(['postgresql', 'temporal', 'temporal-ui', 'setup', ...APP_SERVICES]),
    );
  });

  test.each(services)('%s: pinned image or a build whose Dockerfile exists', (_name, s) => {
    const dockerfile = dockerfileOf(s);
    if (dockerfile !== undefined) expect(repoFileExists(dockerfile)).toBe(true);
    else expect(isPinnedImage(s.image ?? '')).toBe(true);
  });

  test('pins the Temporal images to the dev server versions (server 1.29, UI 2.x) and PostgreSQL 16', () => {
    expect(service('postgresql').image).toBe('postgres:16');
    expect(service('temporal').image).toMatch(/^temporalio\/auto-setup:1\.29\.\d+$/);
    expect(service('temporal-ui').image).toMatch(/^temporalio\/ui:2\.\d+\.\d+$/);
  });

  test.each(services)('%s: every bind-mounted file or directory is in the repo', (_name, s) => {
    for (const volume of volumesOf(s).filter((v) => v.bind)) {
      expect([volume.source, repoFileExists(volume.source)]).toEqual([volume.source, true]);
    }
  });

  test.each(services)('%s: every dist/...js entry point has its TypeScript source', (_name, s) => {
    for (const arg of commandOf(s).filter((a) => /^dist\/.*\.js$/.test(a))) {
      const source = arg.replace(/^dist\//, '').replace(/\.js$/, '.ts');
      expect([arg, repoFileExists(source)]).toEqual([arg, true]);
    }
  });

  test('the bridge and the inference workers share one voice audio directory (utterances and replies of voice sessions)', () => {
    for (const name of ['bridge', 'worker-cpu', 'worker-gpu']) {
      const dir = envOf(service(name)).OFFLOAD_VOICE_AUDIO_DIR;
      expect([name, volumesOf(service(name)).find((v) => v.target === dir)?.source]).toEqual([name, 'voice-audio']);
    }
  });

  test('named volumes are declared and dependencies exist', () => {
    for (const [name, s] of services) {
      for (const volume of volumesOf(s).filter((v) => !v.bind)) expect([name, volume.source, volume.source in (compose.volumes ?? {})]).toEqual([name, volume.source, true]);
      for (const dep of dependenciesOf(s)) expect([name, dep, dep in compose.services]).toEqual([name, dep, true]);
    }
  });

  test('temporal runs on PostgreSQL with the project dynamic config mounted where it is read', () => {
    const temporal = service('temporal');
    const env = envOf(temporal);
    expect(env.DB).toBe('postgres12');
    expect(env.POSTGRES_SEEDS).toBe('postgresql');
    const mount = volumesOf(temporal).find((v) => v.source === './temporal/dynamic-config.yaml');
    expect(mount).toBeDefined();
    expect(mount?.target).toBe(`/etc/temporal/${env.DYNAMIC_CONFIG_FILE_PATH}`);
    expect(dependenciesOf(temporal)).toContain('postgresql');
  });

  test('setup runs the namespace setup against the cluster and the app waits for it', () => {
    const setup = service('setup');
    expect(commandOf(setup)).toEqual(['node', 'dist/src/main/setup-namespace.js']);
    expect(envOf(setup).TEMPORAL_ADDRESS).toBe('temporal:7233');
    for (const name of APP_SERVICES) {
      expect(service(name).depends_on).toMatchObject({ setup: { condition: 'service_completed_successfully' } });
    }
  });

  test.each(APP_SERVICES)('%s: built from the project Dockerfile with the Temporal and model settings', (name) => {
    const s = service(name);
    expect(dockerfileOf(s)).toBe('./Dockerfile');
    const env = envOf(s);
    expect(env.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(env.TEMPORAL_NAMESPACE).toBeTruthy();
    expect(env.OFFLOAD_MODEL_DIR).toBe('/models');
    expect(volumesOf(s)).toContainEqual({ source: 'models', target: '/models', bind: false });
  });

  test('entry points and roles', () => {
    expect(commandOf(service('workflow-worker'))).toEqual(['node', 'dist/src/main/workflow-worker.js']);
    expect(commandOf(service('worker-cpu'))).toEqual(['node', 'dist/src/main/inference-worker.js', '--hardware', 'cpu']);
    expect(commandOf(service('worker-gpu'))).toEqual(['node', 'dist/src/main/inference-worker.js', '--hardware', 'gpu']);
    expect(commandOf(service('bridge'))).toEqual(['node', 'dist/src/main/bridge.js']);
    expect(commandOf(service('api'))).toEqual(['node', 'dist/src/main/api.js']);
    expect(service('api').ports).toContain('8000:8000');
    expect(service('temporal').ports).toContain('7233:7233');
    expect(service('temporal-ui').ports).toContain('8233:8080');
  });

  test('the GPU worker reserves an NVIDIA GPU and asks for CUDA', () => {
    const gpu = service('worker-gpu');
    expect(envOf(gpu).OFFLOAD_EXECUTION_PROVIDER).toBe('cuda');
    const devices = gpu.deploy?.resources?.reservations?.devices ?? [];
    expect(devices).toContainEqual(expect.objectContaining({ driver: 'nvidia', capabilities: expect.arrayContaining(['gpu']) }));
    expect(service('worker-cpu').deploy).toBeUndefined();
  });

  test('Prometheus scrapes services that exist', () => {
    const config = parse(readFileSync(repoPath('deploy/prometheus/prometheus.yml'), 'utf8')) as {
      scrape_configs: Array<{ static_configs: Array<{ targets: string[] }> }>;
    };
    const targets = config.scrape_configs.flatMap((c) => c.static_configs.flatMap((sc) => sc.targets));
    for (const target of targets) expect(compose.services).toHaveProperty([target.split(':')[0] as string]);
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(repoPath('Dockerfile'), 'utf8');

  test('every base image is pinned to an explicit tag', () => {
    const images = dockerfileBaseImages(dockerfile);
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) expect([image, isPinnedImage(image)]).toEqual([image, true]);
    expect(images[0]).toMatch(/^node:20[.\d]*-bookworm-slim$/);
  });

  test('installs without CUDA downloads unless asked, and builds', () => {
    expect(dockerfile).toMatch(/ARG ONNXRUNTIME_NODE_INSTALL=skip/);
    expect(dockerfile).toMatch(/RUN npm ci\b/);
    expect(dockerfile).toMatch(/npm run build/);
  });

  test('copies only what exists and what .dockerignore lets through', () => {
    const ignored = readFileSync(repoPath('.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    const copies = [...dockerfile.matchAll(/^COPY\s+(?!--from)(.+)$/gm)].map((m) => (m[1] as string).trim().split(/\s+/).slice(0, -1));
    for (const source of copies.flat()) {
      expect([source, repoFileExists(source)]).toEqual([source, true]);
      expect([source, ignored.includes(source)]).toEqual([source, false]);
    }
  });
});
