import { performance } from 'node:perf_hooks';
import { LanguageNotSupportedError, ModelInputError, type TextGenerator } from '../../../../src/models';
import { checkTextLanguage } from '../../../../src/models/text-generation/text-language';
import { SMOLLM2_135M } from '../../../../src/models/registry/smollm2-135m';
import { loadLlamaTextGenerator } from '../../../../src/models/text-generation/load-text-generators';
import type { CacheLookup } from '../../../../src/models/text-generation/text-generation-settings';
import { twoTimersBefore } from '../../../harness/session-run-probe';
import { installedModel } from '../../../harness/text-test-env';

/**
 * Streams a generation, setting two timers in a row as each piece arrives; `loopTurnedBetweenPieces`
 * counts the pieces after which both fired before the next piece (or the end). Computing a token on
 * this thread would hold its event loop until the token is out: one timer may slip in, never two.
 */
async function generateWithTimers(request: Parameters<TextGenerator['generate']>[0]) {
  const pieces: string[] = [];
  let finished = false;
  let loopTurnedBetweenPieces = 0;
  const output = await generator
    .generate(request, {
      onToken: (piece) => {
        const count = pieces.push(piece);
        void twoTimersBefore(() => finished || pieces.length > count).then((turned) => {
          if (turned) loopTurnedBetweenPieces += 1;
        });
      },
    })
    .finally(() => {
      finished = true;
    });
  return { output, pieces, loopTurnedBetweenPieces };
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
    const { output, pieces, loopTurnedBetweenPieces } = await generateWithTimers({ prompt: 'What is the capital of France?', max_tokens: 48, temperature: 0.7, top_p: 0.9 });
    const { text, tokens_used, from_cache } = output.result;
    console.log(
      `SmolLM2: "${text}"\n  ${output.timings.completion_tokens} tokens at ${output.timings.tokens_per_s} tokens/s, first token after ${output.timings.first_token_ms?.toFixed(0)} ms; ` +
        `two timers in a row set as a piece arrived fired before the next one for ${loopTurnedBetweenPieces} of ${pieces.length} pieces`,
    );
    expect(text.trim().length).toBeGreaterThan(0);
    expect(from_cache).toBe(false);
    expect(output.model).toEqual({ id: 'smollm2-135m-instruct', kind: 'real' });
    expect(pieces.join('')).toBe(text);
    expect(output.timings.completion_tokens).toBeGreaterThan(0);
    expect(output.timings.completion_tokens).toBeLessThanOrEqual(48);
    expect(tokens_used).toBe(output.timings.prompt_tokens + output.timings.completion_tokens);
    // The event-loop lag while generating is a speed figure: `npm run bench -- models smollm2`.
    expect(loopTurnedBetweenPieces).toBeGreaterThan(0);
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

  test('an aborted signal stops generation long before its end; the model keeps working afterwards', async () => {
    const controller = new AbortController();
    let pieces = 0;
    let abortedAt = 0;
    // Greedy counting runs to max_tokens unless stopped. How many pieces still arrive after the abort
    // depends on how fast the thread generates next to this one reading (logged), not on the abort.
    const maxTokens = 1500;
    await expect(
      generator.generate({ prompt: 'Count from 1 to 1000, separated by commas.', max_tokens: maxTokens, temperature: 0 }, {
        signal: controller.signal,
        onToken: () => {
          if (++pieces !== 3) return;
          abortedAt = performance.now();
          controller.abort();
        },
      }),
    ).rejects.toThrow(/generation cancelled/);
    console.log(`SmolLM2 generation aborted after ${pieces} pieces; it stopped ${(performance.now() - abortedAt).toFixed(0)} ms after the abort`);
    expect(pieces).toBeLessThan(maxTokens / 2);
    const after = await generator.generate({ prompt: 'Say yes.', max_tokens: 4, temperature: 0 });
    expect(after.result.text.length).toBeGreaterThan(0);
  });

  test('a prompt that does not fit the context is ModelInputError naming the sizes', async () => {
    const request = { prompt: 'robot '.repeat(3000), max_tokens: 10 };
    await expect(generator.generate(request)).rejects.toThrow(ModelInputError);
    await expect(generator.generate(request)).rejects.toThrow(/does not fit the model's context of 2048 tokens/);
  });

  test('SmolLM2 answers in English only: a request in Polish is LanguageNotSupported before any token', () => {
    expect(generator.languages).toEqual(['en']);
    for (const language of [undefined, 'en', 'en-US', 'EN']) expect(() => checkTextLanguage(generator, { language })).not.toThrow();
    for (const language of ['pl', 'pl-PL']) expect(() => checkTextLanguage(generator, { language })).toThrow(LanguageNotSupportedError);
    expect(() => checkTextLanguage(generator, { language: 'pl' })).toThrow('language not supported: smollm2-135m-instruct works in en, not "pl"');
  });
});
