import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { ModelInputError, type TextGenerator } from '../../../src/models';
import { SMOLLM2_135M } from '../../../src/models/registry/smollm2-135m';
import { loadLlamaTextGenerator } from '../../../src/models/text-generation/load-text-generators';
import type { CacheLookup } from '../../../src/models/text-generation/text-generation-settings';
import { installedModel } from './text-test-env';

/** perf_hooks' event-loop delay while `work` runs, with the longest lag of a 5 ms interval timer. */
async function loopDelayDuring<T>(work: () => Promise<T>): Promise<{ value: T; p99Ms: number; maxMs: number; timerMs: number }> {
  const monitor = monitorEventLoopDelay({ resolution: 1 });
  let last = performance.now();
  let timerMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    timerMs = Math.max(timerMs, now - last - 5);
    last = now;
  }, 5);
  monitor.enable();
  try {
    const value = await work();
    return { value, p99Ms: monitor.percentile(99) / 1e6, maxMs: monitor.max / 1e6, timerMs };
  } finally {
    clearInterval(timer);
    monitor.disable();
  }
}

let generator: TextGenerator;
const lookups: CacheLookup[] = [];

beforeAll(async () => {
  generator = await loadLlamaTextGenerator({
    manifest: SMOLLM2_135M,
    dir: await installedModel(SMOLLM2_135M),
    executionProvider: 'cpu',
    log: () => undefined,
    textGeneration: { llamaThreads: 1, cache: { onLookup: (lookup) => lookups.push(lookup) } },
  });
}, 120_000);

afterAll(async () => {
  await generator?.close();
});

describe('SmolLM2-135M-Instruct (GGUF, llama.cpp in a worker thread)', () => {
  test('answers a prompt with non-empty text, streamed, and leaves the event loop free while generating', async () => {
    const pieces: string[] = [];
    const { value: output, p99Ms, maxMs, timerMs } = await loopDelayDuring(() =>
      generator.generate({ prompt: 'What is the capital of France?', max_tokens: 48, temperature: 0.7, top_p: 0.9 }, { onToken: (piece) => pieces.push(piece) }),
    );
    const { text, tokens_used, from_cache } = output.result;
    console.log(
      `SmolLM2: "${text}"\n  ${output.timings.completion_tokens} tokens at ${output.timings.tokens_per_s} tokens/s, first token after ${output.timings.first_token_ms?.toFixed(0)} ms; ` +
        `event-loop delay while generating: p99 ${p99Ms.toFixed(1)} ms, max ${maxMs.toFixed(1)} ms, 5 ms timer late by at most ${timerMs.toFixed(1)} ms`,
    );
    expect(text.trim().length).toBeGreaterThan(0);
    expect(from_cache).toBe(false);
    expect(output.model).toEqual({ id: 'smollm2-135m-instruct', kind: 'real' });
    expect(pieces.join('')).toBe(text);
    expect(output.timings.completion_tokens).toBeGreaterThan(0);
    expect(output.timings.completion_tokens).toBeLessThanOrEqual(48);
    expect(tokens_used).toBe(output.timings.prompt_tokens + output.timings.completion_tokens);
    expect(p99Ms).toBeLessThanOrEqual(20);
  });

  test('greedy: a stop sequence ends the text before it, and it is never streamed', async () => {
    const pieces: string[] = [];
    const { result } = await generator.generate(
      { prompt: 'Count from 1 to 20, separated by commas.', max_tokens: 80, temperature: 0, stop: ['7'] },
      { onToken: (piece) => pieces.push(piece) },
    );
    // It counts (in whatever layout the model picks) up to 6, and stops where 7 would come.
    expect(result.text).toMatch(/1[\s\S]*2[\s\S]*3[\s\S]*6\D*$/);
    expect(result.text).not.toContain('7');
    expect(pieces.join('')).toBe(result.text);
  });

  test('max_tokens bounds the answer', async () => {
    const output = await generator.generate({ prompt: 'Tell me a long story about a robot.', max_tokens: 5, temperature: 0.8 });
    expect(output.timings.completion_tokens).toBeLessThanOrEqual(5);
  });

  test('a repeated greedy request comes from the response cache', async () => {
    const request = { prompt: 'Name a colour.', max_tokens: 8, temperature: 0 };
    const first = await generator.generate(request);
    const second = await generator.generate(request);
    expect(second.result).toEqual({ ...first.result, from_cache: true });
    expect(lookups.slice(-2)).toEqual([
      { cacheType: 'text_generation', hit: false },
      { cacheType: 'text_generation', hit: true },
    ]);
  });

  test('an aborted signal stops generation at once; the model keeps working afterwards', async () => {
    const controller = new AbortController();
    let pieces = 0;
    let abortedAt = 0;
    await expect(
      generator.generate({ prompt: 'Write a long story about a brave robot.', max_tokens: 1000, temperature: 0.8 }, {
        signal: controller.signal,
        onToken: () => {
          if (++pieces !== 3) return;
          abortedAt = performance.now();
          controller.abort();
        },
      }),
    ).rejects.toThrow(/generation cancelled/);
    console.log(`SmolLM2 generation aborted after ${pieces} pieces; it stopped ${(performance.now() - abortedAt).toFixed(0)} ms after the abort`);
    expect(pieces).toBeLessThan(20);
    const after = await generator.generate({ prompt: 'Say yes.', max_tokens: 4, temperature: 0 });
    expect(after.result.text.length).toBeGreaterThan(0);
  });

  test('a prompt that does not fit the context is ModelInputError naming the sizes', async () => {
    const request = { prompt: 'robot '.repeat(3000), max_tokens: 10 };
    await expect(generator.generate(request)).rejects.toThrow(ModelInputError);
    await expect(generator.generate(request)).rejects.toThrow(/does not fit the model's context of 2048 tokens/);
  });
});
