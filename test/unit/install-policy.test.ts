import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { satisfies } from 'semver';
import { findRepoRoot } from '../../src/models';

const repo = findRepoRoot();
const packageJson = JSON.parse(readFileSync(`${repo}/package.json`, 'utf8')) as { allowScripts?: Record<string, boolean> };
/** The module onnxruntime-node's install script reads to decide what to download. */
const onnxInstallMetadata = createRequire(__filename)('onnxruntime-node/script/install-metadata.js') as {
  requirements: Record<string, string[]>;
  manifests: Record<string, Record<string, unknown>>;
};

describe('install scripts (package.json allowScripts)', () => {
  test('every installed dependency with an install script is allowed or denied by name', async () => {
    const { stdout } = await promisify(execFile)('npm', ['approve-scripts', '--allow-scripts-pending'], { cwd: repo });
    expect(stdout.trim()).toBe('No packages with unreviewed install scripts.');
  }, 60_000);

  test("onnxruntime-node's install script is denied: on Linux x64 its only job is the CUDA download", () => {
    expect(packageJson.allowScripts?.['onnxruntime-node']).toBe(false);
    expect(onnxInstallMetadata.requirements['linux/x64']).toEqual(['cuda12']);
    expect(Object.keys(onnxInstallMetadata.manifests['linux/x64:cuda12'] ?? {})).toContain('./libonnxruntime_providers_cuda.so');
  });

  test('the native modules whose scripts fall back to a build from source are allowed', () => {
    expect(packageJson.allowScripts).toMatchObject({ zeromq: true, 'node-llama-cpp': true, '@swc/core': true });
  });
});

describe('engines', () => {
  test('every package npm installs accepts the Node running here (npm install prints no EBADENGINE)', () => {
    const lock = JSON.parse(readFileSync(`${repo}/package-lock.json`, 'utf8')) as { packages: Record<string, { engines?: { node?: string } | string[]; optional?: boolean }> };
    const refused = Object.entries(lock.packages)
      .filter(([path, entry]) => path !== '' && !entry.optional && typeof entry.engines === 'object' && !Array.isArray(entry.engines) && entry.engines.node)
      .filter(([, entry]) => !satisfies(process.version, (entry.engines as { node: string }).node, { includePrerelease: true }))
      .map(([path, entry]) => `${path.replace(/^node_modules\//, '')} wants node ${(entry.engines as { node: string }).node}`);
    expect(refused).toEqual([]);
  });
});
