import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

const CUDA_PROVIDER_LIBRARIES = ['libonnxruntime_providers_shared.so', 'libonnxruntime_providers_cuda.so'];

/**
 * Why onnxruntime-node cannot use CUDA here, or undefined when its CUDA provider libraries are
 * installed (whether a GPU answers is then up to onnxruntime). Checking first avoids onnxruntime's
 * native error line for the common case of a machine installed without them.
 */
export function cudaProviderMissing(): string | undefined {
  if (process.platform !== 'linux' && process.platform !== 'win32') return `onnxruntime-node has no CUDA provider on ${process.platform}`;
  const binding = require.resolve('onnxruntime-node/package.json');
  const dir = join(dirname(binding), 'bin', 'napi-v6', process.platform, process.arch);
  const names = process.platform === 'win32' ? CUDA_PROVIDER_LIBRARIES.map((n) => n.replace(/^lib/, '').replace(/\.so$/, '.dll')) : CUDA_PROVIDER_LIBRARIES;
  const missing = names.filter((name) => !existsSync(join(dir, name)));
  if (missing.length === 0) return undefined;
  return `the CUDA provider libraries are not installed (${missing.join(', ')}); install them with npm run setup:cuda`;
}
