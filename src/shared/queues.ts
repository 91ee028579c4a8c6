import type { Hardware } from './task-types';

export const DEFAULT_QUEUE_PREFIX = 'offload';

export function inferenceQueue(prefix: string, hardware: Hardware): string {
  return `${prefix}-${hardware}`;
}

export function workflowQueue(prefix: string): string {
  return `${prefix}-workflows`;
}

export function bridgeQueue(prefix: string): string {
  return `${prefix}-bridge`;
}
