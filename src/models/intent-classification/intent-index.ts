import { dot } from './mean-pool';

export interface IntentMatch {
  /** The best intent, or `unknown` below the threshold. */
  intent: string;
  /** The best intent's score: the mean cosine similarity of its nearest examples. */
  confidence: number;
  /** Every intent's score, best first. */
  scores: { intent: string; score: number }[];
}

export interface LabelledEmbedding {
  intent: string;
  embedding: Float32Array;
}

export const UNKNOWN_INTENT = 'unknown';

/** Nearest labelled examples: an intent scores the mean similarity of its `neighbours` closest examples. */
export class IntentIndex {
  constructor(
    private readonly examples: LabelledEmbedding[],
    private readonly threshold: number,
    private readonly neighbours: number,
  ) {
    if (examples.length === 0) throw new Error('intent index needs at least one example');
  }

  classify(embedding: Float32Array): IntentMatch {
    const similarities = new Map<string, number[]>();
    for (const example of this.examples) {
      const list = similarities.get(example.intent) ?? [];
      list.push(dot(example.embedding, embedding));
      similarities.set(example.intent, list);
    }
    const scores = [...similarities].map(([intent, list]) => {
      const nearest = list.sort((a, b) => b - a).slice(0, this.neighbours);
      return { intent, score: nearest.reduce((sum, value) => sum + value, 0) / nearest.length };
    });
    scores.sort((a, b) => b.score - a.score);
    const best = scores[0];
    return { intent: best.score >= this.threshold ? best.intent : UNKNOWN_INTENT, confidence: best.score, scores };
  }
}
