import { ModelInputError, type GenerateOptions, type InferenceOutput, type TextGenerator } from '../../../../src/models';
import type { GenerationResult } from '../../../../src/shared/model-results';
import type { GeneratePayload } from '../../../../src/shared/task';
import { CachedTextGenerator } from '../../../../src/models/text-generation/cached-text-generator';
import { DEFAULT_MAX_TOKENS, DEFAULT_TEMPERATURE, DEFAULT_TOP_P, generationParams } from '../../../../src/models/text-generation/generation-params';
import { sampleToken } from '../../../../src/models/text-generation/onnx/sampler';
import { sseData } from '../../../../src/models/text-generation/openai/server-sent-events';
import { ResponseCache } from '../../../../src/models/text-generation/response-cache';
import { StopSequenceStream } from '../../../../src/models/text-generation/stop-sequence-stream';
import type { CacheLookup } from '../../../../src/models/text-generation/text-generation-settings';

describe('generation parameters', () => {
  test('defaults, and the prompt as the last user message after the system prompt', () => {
    expect(generationParams({ prompt: 'Hi', system_prompt: 'Be brief.' })).toEqual({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
      maxTokens: DEFAULT_MAX_TOKENS,
      temperature: DEFAULT_TEMPERATURE,
      topP: DEFAULT_TOP_P,
      stop: [],
    });
  });

  test('context: earlier turns when it is a message list, background in the system prompt otherwise', () => {
    const turns = [
      { role: 'user', content: 'My name is Ada.' },
      { role: 'assistant', content: 'Hello Ada.' },
    ];
    expect(generationParams({ prompt: 'What is my name?', context: turns }).messages).toEqual([...turns, { role: 'user', content: 'What is my name?' }]);
    expect(generationParams({ prompt: 'Where am I?', context: { room: 'kitchen' } }).messages[0]).toEqual({ role: 'system', content: 'Context:\n{"room":"kitchen"}' });
    expect(generationParams({ prompt: 'Go', system_prompt: 'S', context: 'battery 80%' }).messages[0].content).toBe('S\n\nContext:\nbattery 80%');
  });

  test.each([
    [{ prompt: '' }, /payload\.prompt must be a non-empty string/],
    [{ prompt: 'x', max_tokens: 0 }, /payload\.max_tokens must be a whole number from 1 to 4096, got 0/],
    [{ prompt: 'x', max_tokens: 2.5 }, /payload\.max_tokens/],
    [{ prompt: 'x', temperature: 3 }, /payload\.temperature must be a number from 0 to 2, got 3/],
    [{ prompt: 'x', top_p: 0 }, /payload\.top_p must be a number above 0 and at most 1/],
    [{ prompt: 'x', stop: [''] }, /payload\.stop must be a list of at most 8 non-empty strings/],
    [{ prompt: 'x', stop: 'END' }, /payload\.stop/],
  ])('%j is refused naming the field', (payload, message) => {
    expect(() => generationParams(payload as GeneratePayload)).toThrow(ModelInputError);
    expect(() => generationParams(payload as GeneratePayload)).toThrow(message);
  });
});

describe('stop sequences while streaming', () => {
  const run = (stops: string[], pieces: string[]) => {
    const emitted: string[] = [];
    const stream = new StopSequenceStream(stops, (piece) => emitted.push(piece));
    let stoppedAt = -1;
    pieces.forEach((piece, i) => {
      if (stoppedAt < 0 && stream.push(piece)) stoppedAt = i;
    });
    return { text: stream.finish(), emitted, stoppedAt };
  };

  test('text ends before a stop sequence split across pieces, which is never emitted', () => {
    const { text, emitted, stoppedAt } = run(['END'], ['Hello ', 'E', 'N', 'D', ' more']);
    expect(text).toBe('Hello ');
    expect(emitted.join('')).toBe('Hello ');
    expect(stoppedAt).toBe(3);
  });

  test('a held-back prefix that does not become a stop sequence is emitted later, in order', () => {
    const { text, emitted } = run(['END'], ['a E', 'N', 'x b']);
    expect(text).toBe('a ENx b');
    expect(emitted).toEqual(['a ', 'ENx b']);
  });

  test('the earliest of several stop sequences wins; without stops everything streams', () => {
    expect(run(['\n\n', 'User:'], ['one User: two\n\nthree']).text).toBe('one ');
    expect(run([], ['a', 'b']).emitted).toEqual(['a', 'b']);
  });
});

describe('response cache', () => {
  class CountingGenerator implements TextGenerator {
    readonly model = { id: 'counting', taskTypes: ['text.generate' as const], kind: 'real' as const, dir: '' };
    readonly executionProvider = 'cpu' as const;
    calls = 0;
    async generate(request: GeneratePayload, options: GenerateOptions = {}): Promise<InferenceOutput<GenerationResult>> {
      this.calls++;
      options.onToken?.(`answer ${this.calls}`);
      return { result: { text: `answer ${this.calls} to ${request.prompt}`, tokens_used: 7, from_cache: false }, model: { id: 'counting', kind: 'real' }, timings: { preprocess_ms: 0, inference_ms: 1, postprocess_ms: 0 } };
    }
    async close(): Promise<void> {}
  }

  test('greedy requests are answered from the cache the second time (from_cache, hit/miss counts, lookups reported)', async () => {
    const inner = new CountingGenerator();
    const lookups: CacheLookup[] = [];
    const cached = new CachedTextGenerator(inner, { onLookup: (lookup) => lookups.push(lookup) });
    const request = { prompt: 'Hi', temperature: 0 };
    const first = await cached.generate(request);
    const tokens: string[] = [];
    const second = await cached.generate(request, { onToken: (t) => tokens.push(t) });
    expect(first.result.from_cache).toBe(false);
    expect(second.result).toEqual({ text: 'answer 1 to Hi', tokens_used: 7, from_cache: true });
    expect(tokens).toEqual(['answer 1 to Hi']);
    expect(second.timings.cache_lookup_ms).toBeGreaterThanOrEqual(0);
    expect(inner.calls).toBe(1);
    expect(cached.cacheStats()).toEqual({ hits: 1, misses: 1, entries: 1 });
    expect(lookups).toEqual([
      { cacheType: 'text_generation', hit: false },
      { cacheType: 'text_generation', hit: true },
    ]);
  });

  test('any parameter is part of the key', async () => {
    const inner = new CountingGenerator();
    const cached = new CachedTextGenerator(inner);
    for (const request of [{ prompt: 'Hi' }, { prompt: 'Hi', max_tokens: 5 }, { prompt: 'Hi', stop: ['x'] }, { prompt: 'Hi', system_prompt: 's' }, { prompt: 'Ho' }]) {
      await cached.generate({ ...request, temperature: 0 });
    }
    expect(inner.calls).toBe(5);
  });

  test('sampled requests are not cached unless allowed; size 0 turns the cache off', async () => {
    const inner = new CountingGenerator();
    const strict = new CachedTextGenerator(inner);
    await strict.generate({ prompt: 'Hi', temperature: 0.7 });
    await strict.generate({ prompt: 'Hi', temperature: 0.7 });
    expect(inner.calls).toBe(2);
    expect(strict.cacheStats()).toEqual({ hits: 0, misses: 0, entries: 0 });
    const lenient = new CachedTextGenerator(inner, { cacheSampled: true });
    await lenient.generate({ prompt: 'Hi', temperature: 0.7 });
    expect((await lenient.generate({ prompt: 'Hi', temperature: 0.7 })).result.from_cache).toBe(true);
    const off = new CachedTextGenerator(inner, { maxEntries: 0 });
    await off.generate({ prompt: 'Hi', temperature: 0 });
    expect((await off.generate({ prompt: 'Hi', temperature: 0 })).result.from_cache).toBe(false);
  });

  test('least recently used entries go first when the cache is full', () => {
    const cache = new ResponseCache({ maxEntries: 2 });
    cache.set('a', { text: 'A', tokensUsed: 1 });
    cache.set('b', { text: 'B', tokensUsed: 1 });
    expect(cache.get('a')?.text).toBe('A');
    cache.set('c', { text: 'C', tokensUsed: 1 });
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')?.text).toBe('A');
    expect(cache.get('c')?.text).toBe('C');
    expect(cache.stats()).toEqual({ hits: 3, misses: 1, entries: 2 });
  });
});

describe('sampling', () => {
  const logits = Float32Array.from([1, 3, 2, 0]);

  test('temperature 0 is greedy', () => {
    expect(sampleToken(logits, 0, 0.9, () => 0.999)).toBe(1);
  });

  test('top-p keeps the smallest set of likely tokens reaching p', () => {
    // Probabilities at temperature 1: 0.644, 0.237, 0.087, 0.032 (tokens 1, 2, 0, 3).
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) seen.add(sampleToken(logits, 1, 0.8, () => i / 200));
    expect([...seen].sort()).toEqual([1, 2]);
    const all = new Set<number>();
    for (let i = 0; i < 200; i++) all.add(sampleToken(logits, 1, 1, () => i / 200));
    expect([...all].sort()).toEqual([0, 1, 2, 3]);
  });

  test('draws follow the softmax of logits / temperature', () => {
    let state = 42;
    const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 20000; i++) counts[sampleToken(logits, 1, 1, random)]++;
    expect(counts[1] / 20000).toBeCloseTo(0.644, 1);
    const hot = [0, 0, 0, 0];
    for (let i = 0; i < 20000; i++) hot[sampleToken(logits, 0.25, 1, random)]++;
    expect(hot[1] / 20000).toBeGreaterThan(0.95);
  });
});

describe('server-sent events', () => {
  async function* chunks(...parts: string[]): AsyncGenerator<Uint8Array> {
    for (const part of parts) yield new TextEncoder().encode(part);
  }

  test('data payloads across arbitrary chunk boundaries, CRLF, comments and multi-line data', async () => {
    const out: string[] = [];
    for await (const data of sseData(chunks('data: {"a"', ':1}\r\n\r\n: keep-alive\n\nda', 'ta: x\ndata: y\n\ndata: [DONE]'))) out.push(data);
    expect(out).toEqual(['{"a":1}', 'x\ny', '[DONE]']);
  });
});
