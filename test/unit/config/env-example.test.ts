import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ENV_VARIABLES } from '../../../src/config/env-schema';
import { findRepoRoot } from '../../../src/models/model-dirs';

const VARIABLE_LINE = /^#([A-Z][A-Z0-9_]*)=(.*)$/;
const lines = readFileSync(path.join(findRepoRoot(), '.env.example'), 'utf8').split('\n');

/** The comment above a variable (or above the run of variables it stands in). */
function commentAbove(index: number): string | undefined {
  let i = index - 1;
  while (i >= 0 && VARIABLE_LINE.test(lines[i])) i--;
  return i >= 0 && lines[i].startsWith('# ') ? lines[i] : undefined;
}

describe('.env.example', () => {
  const listed = new Map(lines.flatMap((line, index) => {
    const match = VARIABLE_LINE.exec(line);
    return match ? [[match[1], { index, value: match[2] }] as const] : [];
  }));

  test('lists every variable loadConfig reads, each with a comment and an example value', () => {
    expect(ENV_VARIABLES.filter((name) => !listed.has(name))).toEqual([]);
    for (const name of ENV_VARIABLES) {
      const entry = listed.get(name);
      expect({ name, comment: commentAbove(entry?.index ?? 0) !== undefined, value: entry?.value !== '' }).toEqual({ name, comment: true, value: true });
    }
  });

  test('lists no variable loadConfig does not read', () => {
    expect([...listed.keys()].filter((name) => !(ENV_VARIABLES as string[]).includes(name))).toEqual([]);
  });
});
