import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
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
