import { readFile } from 'node:fs/promises';

/** One label per non-empty line, in class-id order. */
export async function readLabels(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8');
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
}
