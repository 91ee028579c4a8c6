import { types } from 'node:util';
import type { ExecutionProvider } from '../registry/model-capabilities';

export type WireTensorType =
  | 'float32'
  | 'float64'
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'bool';

export type WireTensorData =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

/** A tensor as it crosses between threads: typed array + dims, the array's buffer transferred when it owns it. */
export interface WireTensor {
  type: WireTensorType;
  data: WireTensorData;
  dims: number[];
}

export type WireTensors = Record<string, WireTensor>;

export interface ThreadInit {
  modelPath: string;
  executionProvider: ExecutionProvider;
  intraOpThreads: number;
}

export type HostMessage = { kind: 'run'; id: number; feeds: WireTensors };

export type ThreadMessage =
  | {
      kind: 'ready';
      executionProvider: ExecutionProvider;
      inputNames: string[];
      outputNames: string[];
      /** Why the asked-for provider was not used. */
      fallbackReason?: string;
    }
  | { kind: 'init-failed'; message: string }
  | { kind: 'result'; id: number; outputs: WireTensors }
  | { kind: 'run-failed'; id: number; message: string };

/** Buffers that can be moved instead of copied: whole, non-shared, each listed once. */
export function transferList(tensors: WireTensors): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const { data } of Object.values(tensors)) {
    const ownsBuffer = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
    if (ownsBuffer && types.isArrayBuffer(data.buffer)) buffers.add(data.buffer);
  }
  return [...buffers];
}
