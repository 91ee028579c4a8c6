import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { findRepoRoot } from '../../src/models';

/** ../shared/fixtures beside the repository (CI has it too). */
export const FIXTURES_DIR = resolve(findRepoRoot(), '..', 'shared', 'fixtures');

export function fixturePath(relative: string): string {
  return resolve(FIXTURES_DIR, relative);
}

export function fixtureBase64(relative: string): string {
  return readFileSync(fixturePath(relative)).toString('base64');
}
