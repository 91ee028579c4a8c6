import pino, { type Logger } from 'pino';

/** Structured JSON logs, one logger per process, named after the component. */
export function createLogger(name: string, level = process.env.OFFLOAD_LOG_LEVEL ?? 'info'): Logger {
  return pino({ name, level, base: { component: name } });
}

export type { Logger };
