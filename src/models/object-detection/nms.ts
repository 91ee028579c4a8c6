import type { Box } from './decode';

export function iou(a: Box, b: Box): number {
  const width = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const height = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (width <= 0 || height <= 0) return 0;
  const overlap = width * height;
  const area = (box: Box): number => (box[2] - box[0]) * (box[3] - box[1]);
  return overlap / (area(a) + area(b) - overlap);
}

/** Greedy non-maximum suppression within each class; the result is sorted by score, best first. */
export function classWiseNms<T extends { classId: number; score: number; box: Box }>(
  candidates: readonly T[],
  iouThreshold: number,
): T[] {
  const kept: T[] = [];
  const keptByClass = new Map<number, Box[]>();
  for (const candidate of [...candidates].sort((a, b) => b.score - a.score)) {
    const winners = keptByClass.get(candidate.classId) ?? [];
    if (winners.some((box) => iou(box, candidate.box) > iouThreshold)) continue;
    winners.push(candidate.box);
    keptByClass.set(candidate.classId, winners);
    kept.push(candidate);
  }
  return kept;
}
