import { pathToFileURL } from 'node:url';

/**
 * A real dynamic `import()` from CommonJS: tsc would turn a literal `import()` into `require()`,
 * which cannot load ESM-only packages such as node-llama-cpp.
 */
const dynamicImport = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

/** Imports an ESM-only package, resolved from this file's location like `require` would. */
export async function importEsm<T>(packageName: string): Promise<T> {
  return (await dynamicImport(pathToFileURL(require.resolve(packageName)).href)) as T;
}
