import { hostname } from 'node:os';

/**
 * The identity a worker gives Temporal: the SDK's usual `pid@host`, its role, and the URL of its
 * metrics endpoint. The API finds the workers' metrics through the pollers of its task queues.
 */
export function workerIdentity(role: string, metricsUrl?: string): string {
  return [`${process.pid}@${hostname()}`, role, metricsUrl].filter(Boolean).join(' ');
}

/** The metrics URL in a worker identity, if it has one. */
export function metricsUrlOf(identity: string): string | undefined {
  return /(?:^|\s)(https?:\/\/\S+\/metrics)(?:\s|$)/.exec(identity)?.[1];
}
