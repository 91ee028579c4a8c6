import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config/load-config';
import { cachedTemporalCliPath as cachedPathIn, resolveTemporalCli as resolveWith, TEMPORAL_CLI_VERSION } from '../../../temporal/install-cli';

/** Both as the config of this process's environment (which each test changes) says. */
const resolveTemporalCli = (opts: Parameters<typeof resolveWith>[1]) => resolveWith(loadConfig(process.env), opts);
const cachedTemporalCliPath = () => cachedPathIn(loadConfig(process.env).cacheDir);

function fakeBinary(path: string): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, '#!/bin/sh\necho fake\n');
  chmodSync(path, 0o755);
  return path;
}

describe('resolveTemporalCli', () => {
  const saved = { ...process.env };
  let dir: string;
  const quiet = { log: () => undefined };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'offload-cli-'));
    delete process.env.TEMPORAL_CLI;
    process.env.OFFLOAD_CACHE_DIR = join(dir, 'cache');
    process.env.PATH = join(dir, 'empty-path');
  });

  afterEach(() => {
    process.env = { ...saved };
    rmSync(dir, { recursive: true, force: true });
  });

  test('TEMPORAL_CLI wins over everything else', async () => {
    const explicit = fakeBinary(join(dir, 'custom', 'temporal'));
    fakeBinary(cachedTemporalCliPath());
    process.env.TEMPORAL_CLI = explicit;
    await expect(resolveTemporalCli(quiet)).resolves.toBe(explicit);
  });

  test('a TEMPORAL_CLI that does not exist is an error naming the variable', async () => {
    process.env.TEMPORAL_CLI = join(dir, 'nope', 'temporal');
    await expect(resolveTemporalCli(quiet)).rejects.toThrow(/TEMPORAL_CLI=.*nope.*does not point at an executable/);
  });

  test('a temporal on PATH comes before the cache', async () => {
    const onPath = fakeBinary(join(dir, 'bin', 'temporal'));
    fakeBinary(cachedTemporalCliPath());
    process.env.PATH = `${join(dir, 'empty-path')}:${join(dir, 'bin')}`;
    await expect(resolveTemporalCli(quiet)).resolves.toBe(onPath);
  });

  test('the cache path follows OFFLOAD_CACHE_DIR and the pinned version', async () => {
    const cached = fakeBinary(join(dir, 'cache', 'temporal-cli', TEMPORAL_CLI_VERSION, 'temporal'));
    expect(cachedTemporalCliPath()).toBe(cached);
    await expect(resolveTemporalCli(quiet)).resolves.toBe(cached);
  });

  test('without a binary and without Go it says what to install or set', async () => {
    await expect(resolveTemporalCli(quiet)).rejects.toThrow(/Go is not installed[\s\S]*install Go[\s\S]*TEMPORAL_CLI/);
  });

  test('builds the pinned version with go install into the cache, streaming its output', async () => {
    const goDir = join(dir, 'go-bin');
    fakeBinary(join(goDir, 'go'));
    writeFileSync(
      join(goDir, 'go'),
      // Shell built-ins only: PATH holds nothing but this fake go.
      '#!/bin/sh\necho "go: downloading github.com/temporalio/cli $2" >&2\necho "#!/bin/sh" > "$GOBIN/temporal"\n',
    );
    process.env.PATH = goDir;
    const lines: string[] = [];
    const path = await resolveTemporalCli({ log: (msg) => lines.push(msg) });
    expect(path).toBe(cachedTemporalCliPath());
    expect(existsSync(path)).toBe(true);
    expect(lines).toContain(`go: downloading github.com/temporalio/cli github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`);
    expect(readdirSync(join(path, '..'))).toEqual(['temporal']); // no leftover build directory
  });

  test('a failing go install is reported with its exit code and the TEMPORAL_CLI way out', async () => {
    const goDir = join(dir, 'go-bin');
    fakeBinary(join(goDir, 'go'));
    writeFileSync(join(goDir, 'go'), '#!/bin/sh\necho "go: network unreachable" >&2\nexit 3\n');
    process.env.PATH = goDir;
    await expect(resolveTemporalCli(quiet)).rejects.toThrow(/failed with exit code 3[\s\S]*TEMPORAL_CLI/);
    expect(existsSync(cachedTemporalCliPath())).toBe(false);
  });

  test('the cache falls back to XDG_CACHE_HOME/offload', () => {
    delete process.env.OFFLOAD_CACHE_DIR;
    process.env.XDG_CACHE_HOME = join(dir, 'xdg');
    expect(cachedTemporalCliPath()).toBe(join(dir, 'xdg', 'offload', 'temporal-cli', 'v1.5.1', 'temporal'));
  });
});
