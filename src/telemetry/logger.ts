import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Fields that may carry what the robot heard, said, saw or asked: removed from every log line unless
 * payload logging is on (`OFFLOAD_LOG_PAYLOADS=true`, for debugging only).
 */
export const PAYLOAD_LOG_PATHS = [
  'payload',
  '*.payload',
  'envelope.payload',
  '*.envelope.payload',
  'result',
  '*.result',
  'prompt',
  '*.prompt',
  'system_prompt',
  'text',
  '*.text',
  'transcript',
  '*.transcript',
  'audio_base64',
  '*.audio_base64',
  'image_base64',
  '*.image_base64',
  'frame_jpeg',
  'chunk_pcm',
  'audio',
];

export interface LoggerOptions {
  /** Keep payload fields in log lines (default false: they are removed). */
  logPayloads?: boolean;
  /** Where lines go (default stdout); tests pass a stream to read them. */
  destination?: DestinationStream;
}

/** Structured JSON logs, one logger per process, named after the component. */
export function createLogger(name: string, level: string, options: LoggerOptions = {}): Logger {
  const settings = {
    name,
    level,
    base: { component: name },
    ...(options.logPayloads ? {} : { redact: { paths: PAYLOAD_LOG_PATHS, remove: true } }),
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

export type { Logger };
