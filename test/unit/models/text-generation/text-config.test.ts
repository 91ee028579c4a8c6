import { ConfigError, loadConfig } from '../../../../src/config/load-config';

describe('text settings from the environment', () => {
  test('defaults: no provider chosen (llama when installed), cache of 256 greedy answers, the default intents file', () => {
    const config = loadConfig({});
    expect(config.intentsFile).toBeUndefined();
    expect(config.textGeneration).toEqual({
      provider: undefined,
      openai: undefined,
      onnxDir: undefined,
      llamaThreads: undefined,
      llamaContextSize: undefined,
      cache: { maxEntries: 256, cacheSampled: false },
    });
  });

  test('every variable reaches its setting', () => {
    const config = loadConfig({
      OFFLOAD_INTENTS_FILE: '/etc/offload/intents.json',
      OFFLOAD_TEXT_PROVIDER: 'openai',
      OFFLOAD_OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1',
      OFFLOAD_OPENAI_MODEL: 'llama3.2:1b',
      OFFLOAD_OPENAI_API_KEY: 'sk-local',
      OFFLOAD_TEXT_ONNX_DIR: '/models/decoder',
      OFFLOAD_LLAMA_THREADS: '2',
      OFFLOAD_LLAMA_CONTEXT_SIZE: '4096',
      OFFLOAD_TEXT_CACHE_SIZE: '0',
      OFFLOAD_TEXT_CACHE_SAMPLED: 'true',
    });
    expect(config.intentsFile).toBe('/etc/offload/intents.json');
    expect(config.textGeneration).toEqual({
      provider: 'openai',
      openai: { baseUrl: 'http://127.0.0.1:11434/v1', model: 'llama3.2:1b', apiKey: 'sk-local' },
      onnxDir: '/models/decoder',
      llamaThreads: 2,
      llamaContextSize: 4096,
      cache: { maxEntries: 0, cacheSampled: true },
    });
  });

  test('wrong values name the variable', () => {
    expect(() => loadConfig({ OFFLOAD_TEXT_PROVIDER: 'gpt' })).toThrow(/OFFLOAD_TEXT_PROVIDER: /);
    expect(() => loadConfig({ OFFLOAD_OPENAI_BASE_URL: 'localhost:11434', OFFLOAD_OPENAI_MODEL: 'm' })).toThrow(/OFFLOAD_OPENAI_BASE_URL: must be an http:\/\/ or https:\/\/ URL/);
    expect(() => loadConfig({ OFFLOAD_OPENAI_BASE_URL: 'http://127.0.0.1:11434' })).toThrow(ConfigError);
    expect(() => loadConfig({ OFFLOAD_OPENAI_BASE_URL: 'http://127.0.0.1:11434' })).toThrow(/OFFLOAD_OPENAI_MODEL: is required with OFFLOAD_OPENAI_BASE_URL/);
    expect(() => loadConfig({ OFFLOAD_TEXT_CACHE_SIZE: '-1' })).toThrow(/OFFLOAD_TEXT_CACHE_SIZE: /);
    expect(() => loadConfig({ OFFLOAD_LLAMA_THREADS: '0' })).toThrow(/OFFLOAD_LLAMA_THREADS: /);
  });
});
