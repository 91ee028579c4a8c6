import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const PACKAGE_NAME = 'offload';

/** The checkout's root: the nearest directory above `from` whose package.json is named "offload". */
export function findRepoRoot(from: string = __dirname): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && readPackageName(manifest) === PACKAGE_NAME) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json named "${PACKAGE_NAME}" above ${from}`);
  }
}

function readPackageName(file: string): unknown {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name;
  } catch {
    return undefined;
  }
}

/** `<repo root>/models`, where `npm run setup` installs models unless OFFLOAD_MODEL_DIR says otherwise. */
export function defaultModelDir(): string {
  return path.join(findRepoRoot(), 'models');
}

/** `<repo root>/../shared/models`: where missing models are copied from unless OFFLOAD_MODEL_SOURCES says otherwise. */
export function defaultModelSources(): string[] {
  return [path.resolve(findRepoRoot(), '..', 'shared', 'models')];
}
