/**
 * Architecture rules, checked by `npm run lint` (dependency-cruiser). What each folder may import
 * is in docs/architecture.md; these are the rules a machine can hold us to.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-import-cycles',
      comment: 'A cycle makes load order matter and a folder impossible to read on its own.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'sandbox-code-does-no-io',
      comment:
        'src/workflows, src/shared and src/telemetry/workflow run inside the Temporal workflow sandbox (or are imported by code that does): ' +
        'no Node built-ins, no I/O libraries, and other Offload code only as types.',
      severity: 'error',
      from: { path: '^src/(workflows|shared|telemetry/workflow)/' },
      to: {
        dependencyTypesNot: ['type-only'],
        pathNot: ['^src/(workflows|shared|telemetry/workflow)/', '^node_modules/@temporalio/(workflow|common)/', '^node_modules/zod/'],
      },
    },
    {
      name: 'sandbox-code-no-node-builtins',
      comment: 'Node built-ins are not available inside the workflow sandbox.',
      severity: 'error',
      from: { path: '^src/(workflows|shared|telemetry/workflow)/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'edges-do-not-import-worker-internals',
      comment: 'The bridge, the API and the client start runs and read results; how workers run models is none of their business.',
      severity: 'error',
      from: { path: '^src/(bridge|api|client)/' },
      to: { path: '^src/(workers|activities)/|^src/models/(runtime|threads)/' },
    },
    {
      name: 'bridge-does-not-import-api',
      comment: 'The bridge and the API are two edges side by side; what both need lives below them (src/client, src/shared, src/telemetry).',
      severity: 'error',
      from: { path: '^src/bridge/' },
      to: { path: '^src/api/' },
    },
    {
      name: 'telemetry-does-not-import-workers',
      comment: 'Telemetry is what worker processes (and the bridge, the API, the CLI) plug in; it knows nothing of them.',
      severity: 'error',
      from: { path: '^src/telemetry/' },
      to: { path: '^src/workers/' },
    },
    {
      name: 'workers-use-telemetry-entry-points',
      comment:
        "src/workers takes from src/telemetry its process-wide files (src/telemetry/*.ts) and the entry points of its sides " +
        '(activity/, client/, sinks/); never the sandbox code of src/telemetry/workflow, which a worker loads by path through workflowInterceptorModules.',
      severity: 'error',
      from: { path: '^src/workers/' },
      to: { path: '^src/telemetry/', pathNot: '^src/telemetry/((activity|client|sinks)/)?[^/]+$' },
    },
    {
      name: 'workflow-interceptors-are-loaded-by-path',
      comment:
        'src/telemetry/workflow runs in the workflow sandbox: workers load it by path (workflowInterceptorModules); ' +
        'elsewhere only its types (the sink reports) may be imported.',
      severity: 'error',
      from: { pathNot: '^src/telemetry/workflow/' },
      to: { path: '^src/telemetry/workflow/', dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules|data|models)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
