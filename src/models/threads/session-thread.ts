import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { cudaProviderMissing } from './cuda-provider';
import * as ort from 'onnxruntime-node';
import type { HostMessage, ThreadInit, ThreadMessage, WireTensor, WireTensors } from './session-protocol';
import { transferList } from './session-protocol';
import type { ExecutionProvider } from '../registry/model-capabilities';

interface OpenedSession {
  session: ort.InferenceSession;
  executionProvider: ExecutionProvider;
  fallbackReason?: string;
}

function threadPort(): MessagePort {
  if (!parentPort) throw new Error('session-thread.js must run as a worker thread');
  return parentPort;
}

const port = threadPort();
const init = workerData as ThreadInit;

function post(message: ThreadMessage, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function openSession(): Promise<OpenedSession> {
  const create = (executionProviders: string[]): Promise<ort.InferenceSession> =>
    ort.InferenceSession.create(init.modelPath, {
      executionProviders,
      intraOpNumThreads: init.intraOpThreads,
      graphOptimizationLevel: 'all',
    });
  if (init.executionProvider !== 'cuda') return { session: await create(['cpu']), executionProvider: 'cpu' };
  const missing = cudaProviderMissing();
  if (missing) return { session: await create(['cpu']), executionProvider: 'cpu', fallbackReason: missing };
  try {
    return { session: await create(['cuda', 'cpu']), executionProvider: 'cuda' };
  } catch (error) {
    return { session: await create(['cpu']), executionProvider: 'cpu', fallbackReason: errorMessage(error) };
  }
}

function toOrt(tensor: WireTensor): ort.Tensor {
  return new ort.Tensor(tensor.type, tensor.data as ort.Tensor.DataTypeMap[typeof tensor.type], tensor.dims);
}

function toWire(tensor: ort.Tensor): WireTensor {
  return { type: tensor.type as WireTensor['type'], data: tensor.data as WireTensor['data'], dims: [...tensor.dims] };
}

async function run(session: ort.InferenceSession, id: number, feeds: WireTensors): Promise<void> {
  try {
    const inputs = Object.fromEntries(Object.entries(feeds).map(([name, tensor]) => [name, toOrt(tensor)]));
    const results = await session.run(inputs);
    const outputs = Object.fromEntries(Object.entries(results).map(([name, tensor]) => [name, toWire(tensor)]));
    post({ kind: 'result', id, outputs }, transferList(outputs));
  } catch (error) {
    post({ kind: 'run-failed', id, message: errorMessage(error) });
  }
}

openSession().then(
  ({ session, executionProvider, fallbackReason }) => {
    port.on('message', (message: HostMessage) => void run(session, message.id, message.feeds));
    post({
      kind: 'ready',
      executionProvider,
      inputNames: [...session.inputNames],
      outputNames: [...session.outputNames],
      fallbackReason,
    });
  },
  (error: unknown) => post({ kind: 'init-failed', message: errorMessage(error) }),
);
