import { parseHardwareArg, runInferenceWorker } from '../workers/inference-worker';
import { runProcess } from './run-process';

// `npm run worker -- --hardware gpu|cpu`: model activities on `<prefix>-<hardware>`.
runProcess('inference worker failed:', async ({ config, workerTelemetry }) => {
  const hardware = parseHardwareArg(process.argv.slice(2), config.hardware);
  await runInferenceWorker({ config, hardware, ...(await workerTelemetry(`${hardware}-worker`)) });
});
