import { createModelRuntime, type ModelRuntime } from '../../src/models';
import type { Hardware } from '../../src/shared/task-types';

const runtimes = new Map<Hardware, Promise<ModelRuntime>>();

/** A warm model runtime per hardware class, shared by the tests of one file and closed on exit. */
export function testRuntime(hardware: Hardware): Promise<ModelRuntime> {
  let runtime = runtimes.get(hardware);
  if (!runtime) {
    const modelDir = process.env.OFFLOAD_TEST_MODEL_DIR;
    if (!modelDir) throw new Error('OFFLOAD_TEST_MODEL_DIR is not set: run the tests through jest');
    runtime = createModelRuntime({ modelDir, hardware, executionProvider: hardware === 'gpu' ? 'cuda' : 'cpu' });
    runtimes.set(hardware, runtime);
  }
  return runtime;
}

export async function closeTestRuntimes(): Promise<void> {
  const all = [...runtimes.values()];
  runtimes.clear();
  for (const runtime of all) await (await runtime).close();
}
