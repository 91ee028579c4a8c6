import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createModelRuntime, type ModelRuntime } from '../../../../src/models';
import { probeSessionRuns } from '../../../harness/session-run-probe';
import { fixture, REPO_ROOT, removeTempDirs, seededModelDir } from '../../../harness/model-test-env';

const RUNS = 20;

interface TimerProbe {
  runs: number;
  runsTheLoopTurnedTwiceDuring: number;
}

/**
 * The same probe as `probeSessionRuns` around a bare `session.run` loop on a process's main thread.
 * It runs in a child process because onnxruntime-node cannot run inside jest's sandbox (its output
 * typed arrays come from another realm).
 */
const MAIN_THREAD_SCRIPT = `
const ort = require('onnxruntime-node');
const [modelPath, runs] = process.argv.slice(1);
(async () => {
  const session = await ort.InferenceSession.create(modelPath, { executionProviders: ['cpu'], intraOpNumThreads: 1 });
  const input = () => ({ images: new ort.Tensor('float32', new Float32Array(3 * 416 * 416).fill(114), [1, 3, 416, 416]) });
  await session.run(input());
  let runsTheLoopTurnedTwiceDuring = 0;
  for (let run = 0; run < Number(runs); run++) {
    let done = false;
    setTimeout(() => { if (!done) setTimeout(() => { if (!done) runsTheLoopTurnedTwiceDuring += 1; }, 0); }, 0);
    await session.run(input()).finally(() => { done = true; });
  }
  console.log(JSON.stringify({ runs: Number(runs), runsTheLoopTurnedTwiceDuring }));
})();
`;

async function mainThreadProbe(modelPath: string): Promise<TimerProbe> {
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', MAIN_THREAD_SCRIPT, modelPath, String(RUNS)], { cwd: REPO_ROOT });
  return JSON.parse(stdout) as TimerProbe;
}

let modelDir: string;
let runtime: ModelRuntime;

beforeAll(async () => {
  modelDir = await seededModelDir();
  runtime = await createModelRuntime({ modelDir, hardware: 'cpu', executionProvider: 'cpu' });
});

afterAll(async () => {
  await runtime.close();
  await removeTempDirs();
});

// How long the loop waits (event-loop lag p99) is a speed figure: `npm run bench` records it.
test(`${RUNS} detections back to back: two timers in a row fire while the session thread computes a run; around a main-thread session.run they never both do`, async () => {
  const image = await fixture('dog.jpg');
  const probe = probeSessionRuns();
  try {
    for (let run = 0; run < RUNS; run++) await runtime.detect(image);
  } finally {
    probe.stop();
  }
  const bare = await mainThreadProbe(path.join(modelDir, 'yolox-nano', 'yolox_nano.onnx'));
  console.log(
    `two timers in a row set as a YOLOX-nano run started fired before its result: session thread ${probe.runsTheLoopTurnedTwiceDuring} of ${probe.runs} runs, ` +
      `bare session.run on the main thread ${bare.runsTheLoopTurnedTwiceDuring} of ${bare.runs}`,
  );
  expect(probe.runs).toBe(RUNS);
  expect(probe.runsTheLoopTurnedTwiceDuring).toBeGreaterThan(0);
  // The control: a run computed on the loop's own thread lets one timer slip in before it starts, never two.
  expect(bare).toEqual({ runs: RUNS, runsTheLoopTurnedTwiceDuring: 0 });
});
