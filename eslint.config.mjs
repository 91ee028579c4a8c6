import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const sandboxForbidden = [
  { group: ['node:*', 'fs', 'path', 'os', 'child_process', 'worker_threads', 'net', 'http', 'https', 'crypto', 'stream', 'events', 'util'], message: 'Workflow sandbox: no Node built-ins.' },
  { group: ['onnxruntime-node', 'zeromq', 'sharp', 'pino', 'prom-client', '@opentelemetry/sdk-node', '@opentelemetry/sdk-*'], message: 'Workflow sandbox: no I/O libraries.' },
  { group: ['**/activities', '**/activities/*', '**/models/*', '**/telemetry/*'], message: 'Workflows import activities as types only (import type).', allowTypeImports: true },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'models/**', 'jest.config.js', '.dependency-cruiser.cjs', 'bin/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // Code that runs inside the workflow sandbox: the workflows, what they share, the workflow interceptors.
    files: ['src/workflows/**/*.ts', 'src/shared/**/*.ts', 'src/telemetry/workflow/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: sandboxForbidden }] },
  },
  {
    // One config: loadConfig (src/config) reads the environment, everything else is handed the result.
    files: ['src/**/*.ts', 'temporal/**/*.ts'],
    ignores: ['src/config/**'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Settings come from loadConfig (src/config): take the config, not the environment.' }],
    },
  },
);
