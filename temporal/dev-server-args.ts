import { searchAttributeCliArgs, type SearchAttributeSpec } from './search-attributes';

/**
 * Dynamic config every Offload dev server runs with (values are JSON, as the CLI expects):
 * the priority-aware matcher with the robot's ten priority levels, and one partition per task
 * queue. Priority is ordered within a partition; with the default four partitions a backlog of
 * keys 9,7,10,6,8 was handed out as 7,9,8,6,10 (measured), with one it comes out 6,7,8,9,10.
 * A single dev server gains nothing from more partitions.
 */
export const DEV_SERVER_DYNAMIC_CONFIG: Readonly<Record<string, string>> = {
  'matching.useNewMatcher': 'true',
  'matching.priorityLevels': '10',
  'matching.numTaskqueueReadPartitions': '1',
  'matching.numTaskqueueWritePartitions': '1',
  // Worker heartbeats and ListWorkers: the robot's capabilities see a stopped worker within seconds.
  'frontend.WorkerHeartbeatsEnabled': 'true',
  'frontend.ListWorkersEnabled': 'true',
  // History reads its task queues at most this often per second (default 20): a task written just
  // after a read waited up to 50 ms to reach matching, ~32 ms per hop measured, three hops per task.
  'history.transferProcessorMaxPollRPS': '1000',
  'history.timerProcessorMaxPollRPS': '1000',
  'history.visibilityProcessorMaxPollRPS': '1000',
  // The bridge hosts a worker for the runs it starts: their first workflow task comes back with the start.
  'system.enableEagerWorkflowStart': 'true',
};

/** SQLite pragmas for a persisted dev server (several times the throughput of the defaults). */
export const DEV_SERVER_SQLITE_PRAGMAS: Readonly<Record<string, string>> = {
  journal_mode: 'wal',
  synchronous: 'normal',
};

/** Fully resolved settings for one `temporal server start-dev` invocation. */
export interface StartDevSettings {
  /** Frontend gRPC port. */
  port: number;
  /** Web UI port, or `false` for `--headless`. */
  uiPort: number | false;
  /** Frontend HTTP API port; omitted lets the CLI pick a free one. */
  httpPort?: number;
  /** SQLite file; omitted keeps everything in memory. */
  dbFile?: string;
  /** Namespace to create besides `default`. */
  namespace: string;
  /** Interface the frontend (and UI) bind to. */
  ip: string;
  /** Server log level. */
  logLevel: string;
  /** Custom search attributes to register at start. */
  searchAttributes: SearchAttributeSpec[];
  /** Appended verbatim. */
  extraArgs: string[];
}

/** Arguments for the Temporal CLI (`server start-dev ...`). */
export function buildStartDevArgs(s: StartDevSettings): string[] {
  const args = ['server', 'start-dev', '--ip', s.ip, '--port', String(s.port)];
  if (s.uiPort === false) args.push('--headless');
  else args.push('--ui-port', String(s.uiPort));
  if (s.httpPort !== undefined) args.push('--http-port', String(s.httpPort));
  if (s.namespace !== 'default') args.push('--namespace', s.namespace);
  args.push('--log-level', s.logLevel);
  if (s.dbFile !== undefined) {
    args.push('--db-filename', s.dbFile);
    for (const [pragma, value] of Object.entries(DEV_SERVER_SQLITE_PRAGMAS)) args.push('--sqlite-pragma', `${pragma}=${value}`);
  }
  for (const [key, value] of Object.entries(DEV_SERVER_DYNAMIC_CONFIG)) args.push('--dynamic-config-value', `${key}=${value}`);
  args.push(...searchAttributeCliArgs(s.searchAttributes));
  args.push(...s.extraArgs);
  return args;
}
