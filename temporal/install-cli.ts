import { spawn } from 'node:child_process';
import type { OffloadConfig } from '../src/config/load-config';
import { accessSync, constants, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The Temporal CLI release the project is pinned to (CLI v1.5.1 embeds Temporal Server 1.29). */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';

/** Go package the CLI is built from when no binary is found. */
export const TEMPORAL_CLI_GO_PACKAGE = 'github.com/temporalio/cli/cmd/temporal';

/** Options for {@link resolveTemporalCli}. */
export interface ResolveTemporalCliOptions {
  /** Receives progress messages (where the binary was found, Go build output). Default: stderr. */
  log?: (msg: string) => void;
}

const BINARY_NAME = process.platform === 'win32' ? 'temporal.exe' : 'temporal';

/** The parts of the Offload config that say where the CLI comes from. */
export type TemporalCliConfig = Pick<OffloadConfig, 'temporalCli' | 'cacheDir' | 'childEnv'>;

/** Directory the pinned CLI is cached in: `<cache dir>/temporal-cli/<version>`. */
export function temporalCliCacheDir(cacheDir: string): string {
  return join(cacheDir, 'temporal-cli', TEMPORAL_CLI_VERSION);
}

/** Path of the cached pinned CLI binary (it may not exist yet). */
export function cachedTemporalCliPath(cacheDir: string): string {
  return join(temporalCliCacheDir(cacheDir), BINARY_NAME);
}

/**
 * Returns the path of a working `temporal` binary, building the pinned version with Go if needed.
 *
 * Order: `TEMPORAL_CLI` (must exist), a `temporal` on `PATH`, the cached pinned build, then
 * `go install github.com/temporalio/cli/cmd/temporal@v1.5.1` into the cache directory.
 */
export async function resolveTemporalCli(config: TemporalCliConfig, opts: ResolveTemporalCliOptions = {}): Promise<string> {
  const log = opts.log ?? ((msg: string) => process.stderr.write(`${msg}\n`));
  const explicit = config.temporalCli.path;
  if (explicit) {
    if (!isExecutableFile(explicit)) {
      throw new Error(
        `TEMPORAL_CLI=${explicit} does not point at an executable file. ` +
          `Fix the path, or unset TEMPORAL_CLI to use a temporal on PATH or build the pinned ${TEMPORAL_CLI_VERSION} with Go.`,
      );
    }
    return explicit;
  }

  const onPath = findOnPath(BINARY_NAME, config.temporalCli.searchPath);
  if (onPath) {
    log(`Using the Temporal CLI on PATH: ${onPath}`);
    return onPath;
  }

  const cached = cachedTemporalCliPath(config.cacheDir);
  if (isExecutableFile(cached)) return cached;

  await goInstallCli(temporalCliCacheDir(config.cacheDir), config, log);
  return cached;
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findOnPath(name: string, searchPath: string): string | undefined {
  for (const dir of searchPath.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/** Builds the pinned CLI into a private directory, then moves it into `cacheDir` atomically. */
async function goInstallCli(cacheDir: string, config: TemporalCliConfig, log: (msg: string) => void): Promise<void> {
  const go = findOnPath(process.platform === 'win32' ? 'go.exe' : 'go', config.temporalCli.searchPath);
  if (!go) {
    throw new Error(
      `No Temporal CLI found and Go is not installed, so the pinned CLI ${TEMPORAL_CLI_VERSION} cannot be built. ` +
        'Either install Go >= 1.25 (https://go.dev/dl/) and run again, or set TEMPORAL_CLI to the path of an ' +
        `existing temporal binary (${TEMPORAL_CLI_VERSION}, https://github.com/temporalio/cli/releases).`,
    );
  }
  const buildDir = join(cacheDir, `.build-${process.pid}`);
  mkdirSync(buildDir, { recursive: true });
  const target = `${TEMPORAL_CLI_GO_PACKAGE}@${TEMPORAL_CLI_VERSION}`;
  log(`Building the Temporal CLI ${TEMPORAL_CLI_VERSION} with ${go} (go install ${target}); this takes a few minutes the first time...`);
  try {
    const started = Date.now();
    const heartbeat = setInterval(() => log(`...still building (${Math.round((Date.now() - started) / 1000)} s)`), 30_000);
    let code: number;
    try {
      code = await run(go, ['install', target], { ...config.childEnv, GOBIN: buildDir }, log);
    } finally {
      clearInterval(heartbeat);
    }
    if (code !== 0) {
      throw new Error(
        `go install ${target} failed with exit code ${code} (output above). ` +
          'Set TEMPORAL_CLI to an existing temporal binary to skip the build.',
      );
    }
    const built = join(buildDir, BINARY_NAME);
    if (!existsSync(built)) throw new Error(`go install ${target} succeeded but ${built} is missing`);
    renameSync(built, join(cacheDir, BINARY_NAME));
    log(`Temporal CLI installed at ${join(cacheDir, BINARY_NAME)}`);
  } finally {
    rmSync(buildDir, { recursive: true, force: true });
  }
}

function run(cmd: string, args: string[], env: TemporalCliConfig['childEnv'], log: (msg: string) => void): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const forward = (chunk: Buffer): void => {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) log(line);
    };
    child.stdout.on('data', forward);
    child.stderr.on('data', forward);
    child.once('error', reject);
    child.once('close', (code) => resolve(code ?? 1));
  });
}
