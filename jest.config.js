const { existsSync, readdirSync } = require('node:fs');
const { join, relative } = require('node:path');

/** Compiled tests whose TypeScript source is gone (dist/ is not cleaned between builds). */
function staleCompiledTests(dir = join(__dirname, 'dist', 'test')) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return staleCompiledTests(full);
    if (!entry.name.endsWith('.test.js')) return [];
    const source = join(__dirname, relative(join(__dirname, 'dist'), full)).replace(/\.js$/, '.ts');
    return existsSync(source) ? [] : [full.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')];
  });
}

/** Tests are written in TypeScript and compiled by `npm run build`; jest runs the compiled files. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/dist/test'],
  testMatch: ['**/*.test.js'],
  testPathIgnorePatterns: ['/node_modules/', ...staleCompiledTests()],
  globalSetup: '<rootDir>/dist/test/harness/global-setup.js',
  globalTeardown: '<rootDir>/dist/test/harness/global-teardown.js',
  testTimeout: 120000,
  maxWorkers: 2,
};
