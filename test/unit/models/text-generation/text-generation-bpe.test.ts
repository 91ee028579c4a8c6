import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { SMOLLM2_135M } from '../../../../src/models/registry/smollm2-135m';
import { BpeTokenizer } from '../../../../src/models/text-generation/onnx/bpe-tokenizer';
import { chatPrompt } from '../../../../src/models/text-generation/onnx/chat-prompt';
import { REPO_ROOT } from '../../../harness/model-test-env';
import { installedModel } from '../../../harness/text-test-env';

const SAMPLES = [
  'Hello world',
  ' 12345 apples cost $3.50',
  "I'm here, don't   worry!\n\nOK",
  'Café ñandú 你好 🤖',
  'def f(x):\n    return x**2  # square',
  'Robot, turn LEFT 90 degrees; then STOP.',
  '<|im_start|>user\nHi<|im_end|>\n',
];

interface GgufDump {
  tokens: string[];
  tokenTypes: number[];
  merges: string[];
  pre: string;
  ids: number[][];
}

/**
 * The SmolLM2 GGUF's vocabulary and merges, and llama.cpp's own tokenization of the samples: read
 * by node-llama-cpp in a child process (an ESM package, loaded outside jest's module sandbox).
 */
const DUMP_SCRIPT = `
const { pathToFileURL } = require('node:url');
const importEsm = new Function('s', 'return import(s)');
(async () => {
  const [modelPath, samples] = [process.argv[1], JSON.parse(process.argv[2])];
  const lib = await importEsm(pathToFileURL(require.resolve('node-llama-cpp')).href);
  const info = await lib.readGgufFileInfo(modelPath, { readTensorInfo: false });
  const t = info.metadata.tokenizer.ggml;
  const llama = await lib.getLlama({ gpu: false, build: 'never', skipDownload: true, progressLogs: false, logLevel: 'error', maxThreads: 1 });
  const model = await llama.loadModel({ modelPath, vocabOnly: true });
  const ids = samples.map((s) => Array.from(model.tokenize(s, true)));
  process.stdout.write(JSON.stringify({ tokens: t.tokens, tokenTypes: t.token_type, merges: t.merges, pre: t.pre, ids }));
  await model.dispose();
  await llama.dispose();
})().catch((e) => { console.error(e); process.exit(1); });
`;

const CONTROL_TOKEN = 3;

/** The tokenizer.json SmolLM2 ships with on HuggingFace, rebuilt from the GGUF's metadata (llama.cpp pre-tokenizer "smollm"). */
function tokenizerJson(dump: GgufDump): unknown {
  return {
    added_tokens: dump.tokens.flatMap((content, id) => (dump.tokenTypes[id] === CONTROL_TOKEN ? [{ id, content, special: true }] : [])),
    normalizer: null,
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [
        { type: 'Digits', individual_digits: true },
        { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
      ],
    },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { type: 'BPE', vocab: Object.fromEntries(dump.tokens.map((token, id) => [token, id])), merges: dump.merges, unk_token: null },
  };
}

let dump: GgufDump;
let tokenizer: BpeTokenizer;

beforeAll(async () => {
  const gguf = path.join(await installedModel(SMOLLM2_135M), SMOLLM2_135M.files[0].name);
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', DUMP_SCRIPT, gguf, JSON.stringify(SAMPLES)], { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024 });
  dump = JSON.parse(stdout) as GgufDump;
  tokenizer = BpeTokenizer.fromJson(tokenizerJson(dump));
}, 120_000);

describe('byte-level BPE tokenizer against llama.cpp on the SmolLM2 vocabulary', () => {
  test('the GGUF is a GPT-2 style BPE with the smollm pre-tokenizer (49152 tokens)', () => {
    expect(dump.pre).toBe('smollm');
    expect(dump.tokens).toHaveLength(49152);
    expect(tokenizer.tokenId('<|im_end|>')).toBe(2);
  });

  test.each(SAMPLES.map((sample, index) => [sample, index] as const))('%j: the same ids as llama.cpp, and decodes back', (sample, index) => {
    const ids = tokenizer.encode(sample);
    expect(ids).toEqual(dump.ids[index]);
    expect(tokenizer.decode(ids)).toBe(sample.replace(/<\|im_(start|end)\|>/g, ''));
  });

  test('a ChatML prompt for SmolLM2 is built from the tokenizer special tokens', () => {
    const prompt = chatPrompt([{ role: 'user', content: 'Hi' }], (t) => tokenizer.tokenId(t) !== undefined);
    expect(prompt).toBe('<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n');
    expect(tokenizer.encode(prompt).slice(0, 2)).toEqual([1, 4093]);
  });

  test('streaming decode: token bytes put back together give the text, even when a character spans tokens', () => {
    const ids = tokenizer.encode('Café 🤖 ok');
    const decoder = new TextDecoder('utf-8');
    const text = ids.map((id) => decoder.decode(tokenizer.tokenBytes(id), { stream: true })).join('') + decoder.decode();
    expect(text).toBe('Café 🤖 ok');
  });
});
