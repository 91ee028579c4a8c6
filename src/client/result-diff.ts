import type { DetectionBox, DetectionResult } from '../shared/detection';
import type { GenerationResult, SpeechResult, TranscriptionResult, UnderstandingResult } from '../shared/model-results';
import type { TaskResult } from '../shared/task';

export interface BoxMatch {
  label: string;
  iou: number;
  score_before: number;
  score_after: number;
}

export interface ResultDiff {
  status: [string, string];
  model: [string | undefined, string | undefined];
  hardware: [string | undefined, string | undefined];
  latency_ms: { before: number; after: number; change: number };
  boxes?: { matched: BoxMatch[]; only_before: DetectionBox[]; only_after: DetectionBox[] };
  transcript?: { before: string; after: string; words: string };
  audio_duration_ms?: { before: number; after: number };
  text?: { before: string; after: string; same: boolean };
  intent?: { before: string; after: string; same: boolean };
}

const MATCH_IOU = 0.5;

/** How a re-run's result differs from the original's: boxes by IoU, transcripts word by word, audio, text, latency. */
export function diffResults(before: TaskResult, after: TaskResult): ResultDiff {
  const diff: ResultDiff = {
    status: [before.status, after.status],
    model: [before.meta.model, after.meta.model],
    hardware: [before.meta.hardware, after.meta.hardware],
    latency_ms: { before: before.processing_time_ms, after: after.processing_time_ms, change: after.processing_time_ms - before.processing_time_ms },
  };
  const a = before.result as Record<string, unknown> | null;
  const b = after.result as Record<string, unknown> | null;
  if (!a || !b) return diff;
  if (Array.isArray(a.boxes) && Array.isArray(b.boxes)) diff.boxes = matchBoxes((a as unknown as DetectionResult).boxes, (b as unknown as DetectionResult).boxes);
  if (before.meta.task_type === 'voice.asr') {
    const [x, y] = [(a as unknown as TranscriptionResult).text, (b as unknown as TranscriptionResult).text];
    diff.transcript = { before: x, after: y, words: wordDiff(x, y) };
  }
  if (before.meta.task_type === 'voice.tts') {
    diff.audio_duration_ms = { before: (a as unknown as SpeechResult).duration_ms, after: (b as unknown as SpeechResult).duration_ms };
  }
  if (before.meta.task_type === 'text.generate') {
    const [x, y] = [(a as unknown as GenerationResult).text, (b as unknown as GenerationResult).text];
    diff.text = { before: x, after: y, same: x === y };
  }
  if (before.meta.task_type === 'text.nlu') {
    const [x, y] = [(a as unknown as UnderstandingResult).intent, (b as unknown as UnderstandingResult).intent];
    diff.intent = { before: x, after: y, same: x === y };
  }
  return diff;
}

export function iou(a: DetectionBox['box'], b: DetectionBox['box']): number {
  const w = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
  const h = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const inter = w * h;
  const union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
  return union > 0 ? inter / union : 0;
}

/** Greedy one-to-one matching of same-label boxes, best IoU first. */
export function matchBoxes(before: DetectionBox[], after: DetectionBox[]): NonNullable<ResultDiff['boxes']> {
  const pairs: { i: number; j: number; iou: number }[] = [];
  before.forEach((x, i) => after.forEach((y, j) => {
    const overlap = x.label === y.label ? iou(x.box, y.box) : 0;
    if (overlap >= MATCH_IOU) pairs.push({ i, j, iou: overlap });
  }));
  pairs.sort((p, q) => q.iou - p.iou);
  const usedBefore = new Set<number>();
  const usedAfter = new Set<number>();
  const matched: BoxMatch[] = [];
  for (const p of pairs) {
    if (usedBefore.has(p.i) || usedAfter.has(p.j)) continue;
    usedBefore.add(p.i);
    usedAfter.add(p.j);
    matched.push({ label: before[p.i].label, iou: round(p.iou), score_before: round(before[p.i].score), score_after: round(after[p.j].score) });
  }
  return {
    matched,
    only_before: before.filter((_, i) => !usedBefore.has(i)),
    only_after: after.filter((_, j) => !usedAfter.has(j)),
  };
}

/** Words kept as they are, removed as [-word], added as {+word} (longest common subsequence). */
export function wordDiff(before: string, after: string): string {
  const x = before.split(/\s+/).filter(Boolean);
  const y = after.split(/\s+/).filter(Boolean);
  const lcs = Array.from({ length: x.length + 1 }, () => new Array<number>(y.length + 1).fill(0));
  for (let i = x.length - 1; i >= 0; i--) for (let j = y.length - 1; j >= 0; j--) lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length || j < y.length) {
    if (i < x.length && j < y.length && x[i] === y[j]) {
      out.push(x[i++]);
      j++;
    } else if (j < y.length && (i === x.length || lcs[i][j + 1] >= lcs[i + 1][j])) out.push(`{+${y[j++]}}`);
    else out.push(`[-${x[i++]}]`);
  }
  return out.join(' ');
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
