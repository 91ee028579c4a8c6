import { cpus, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The machine and versions a result was measured on. */
export function machineInfo(): Record<string, unknown> {
  const pkg = (name: string) => JSON.parse(readFileSync(resolve(__dirname, '..', '..', 'node_modules', name, 'package.json'), 'utf8')).version;
  return {
    cores: cpus().length,
    cpu_model: cpus()[0]?.model ?? 'unknown',
    memory_gib: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    temporal_sdk: pkg('@temporalio/worker'),
    onnxruntime_node: pkg('onnxruntime-node'),
  };
}
