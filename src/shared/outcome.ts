/**
 * What became of a result that was delivered to the robot or not: `delivered` (published),
 * `stale` (past its deadline), `superseded` (a newer frame made it worthless), `undelivered` (no
 * bridge took it in time).
 */
export type DeliveryStatus = 'delivered' | 'stale' | 'superseded' | 'undelivered';

/**
 * What became of a task, the one vocabulary of the `OffloadOutcome` search attribute, the metrics'
 * `outcome` label and the workflow sinks' task reports: `running` until the ladder ends, then
 * `completed` (a model answered), `fallback` (no hardware could in time: the robot does it),
 * `invalid` (bad input) or `failed`; a run started by the robot bridge ends with its delivery's status.
 */
export type Outcome = 'running' | 'completed' | 'fallback' | 'invalid' | 'failed' | DeliveryStatus;

/**
 * How a finished task is counted (`offload_tasks_total`, `telemetry.task.completed`): by what the
 * ladder came to, except for a frame superseded before its inference ran. Its delivery is reported
 * on its own (`offload_deliveries_total`).
 */
export type TaskOutcome = Extract<Outcome, 'completed' | 'fallback' | 'invalid' | 'failed' | 'superseded'>;
