import { runWorkflowWorker } from '../workers/workflow-worker';
import { runProcess } from './run-process';

// `npm run workflow-worker`: the workflows on `<prefix>-workflows`.
runProcess('workflow worker failed:', async ({ config, workerTelemetry }) => {
  await runWorkflowWorker({ config, ...(await workerTelemetry('workflow-worker')) });
});
