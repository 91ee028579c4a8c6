import { ChunkSequencer, type AudioChunk } from '../../../src/voice/chunk-sequencer';

const chunk = (i: number): AudioChunk => ({ ts: 100 + i * 0.02, rate: 16000, pcm: Buffer.alloc(640, i) });
const order = (chunks: AudioChunk[]) => chunks.map((c) => c.pcm[0]);

test('chunks in order pass at once', () => {
  const s = new ChunkSequencer();
  expect([0, 1, 2, 3].flatMap((i) => order(s.push(chunk(i)).ready))).toEqual([0, 1, 2, 3]);
});

test('a chunk that skips ahead waits for the one it skipped; the pair comes out in capture order', () => {
  const s = new ChunkSequencer();
  s.push(chunk(0));
  expect(s.push(chunk(2)).ready).toEqual([]);
  expect(order(s.push(chunk(1)).ready)).toEqual([1, 2]);
});

test('a lost chunk holds the stream back by at most holdChunks', () => {
  const s = new ChunkSequencer(3);
  s.push(chunk(0));
  expect([2, 3, 4].map((i) => order(s.push(chunk(i)).ready))).toEqual([[], [], []]);
  // a fourth chunk waiting: chunk 1 is given up, and the rest flows in order
  expect(order(s.push(chunk(5)).ready)).toEqual([2, 3, 4, 5]);
  expect(s.flush()).toEqual([]);
});

test('a chunk older than one processed, or seen twice, is dropped as late', () => {
  const s = new ChunkSequencer();
  s.push(chunk(0));
  s.push(chunk(1));
  expect(s.push(chunk(0))).toEqual({ ready: [], late: true });
  expect(s.push(chunk(1))).toEqual({ ready: [], late: true });
  s.push(chunk(3));
  expect(s.push(chunk(3))).toEqual({ ready: [], late: true });
});
