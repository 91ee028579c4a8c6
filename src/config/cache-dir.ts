import os from 'node:os';
import path from 'node:path';

/** The variables the cache directory follows. */
export interface CacheDirVariables {
  OFFLOAD_CACHE_DIR?: string;
  XDG_CACHE_HOME?: string;
}

/** `${OFFLOAD_CACHE_DIR:-${XDG_CACHE_HOME:-~/.cache}/offload}`: downloads kept outside the repository. */
export function offloadCacheDir(env: CacheDirVariables): string {
  if (env.OFFLOAD_CACHE_DIR) return path.resolve(env.OFFLOAD_CACHE_DIR);
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'offload');
}
