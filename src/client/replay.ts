import { Worker, type WorkflowBundle } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { workflowInterceptorModules, workflowTelemetrySinks } from '../telemetry/sinks/workflow-modules';
import type { History, NamedHistory } from './history-source';

export interface ReplayOptions {
  /** Workflow code to check (default: Offload's own workflows, compiled). */
  workflowsPath?: string;
  workflowBundle?: WorkflowBundle;
}

export interface ReplayOutcome {
  workflowId: string;
  runId: string;
  ok: boolean;
  /** What diverged, when the current code does not reproduce the recorded commands. */
  problem?: string;
  /** The recorded events that produce commands, for reading `problem` against. */
  recordedCommands?: string[];
}

/** Replays recorded histories against workflow code; a changed command sequence is reported per run. */
export async function replayHistories(histories: AsyncIterable<NamedHistory> | Iterable<NamedHistory>, options: ReplayOptions = {}): Promise<ReplayOutcome[]> {
  const byId = new Map<string, History>();
  async function* remember() {
    for await (const named of histories) {
      byId.set(named.workflowId, named.history);
      yield named;
    }
  }
  const workerOptions = options.workflowBundle
    ? { workflowBundle: options.workflowBundle }
    : {
        workflowsPath: options.workflowsPath ?? require.resolve('../workflows'),
        interceptors: { workflowModules: workflowInterceptorModules() },
        sinks: workflowTelemetrySinks(undefined),
      };
  const outcomes: ReplayOutcome[] = [];
  for await (const result of Worker.runReplayHistories({ ...workerOptions, replayName: 'offload-replay' }, remember())) {
    const history = byId.get(result.workflowId);
    outcomes.push({
      workflowId: result.workflowId,
      runId: result.runId,
      ok: !result.error,
      ...(result.error ? { problem: result.error.message, recordedCommands: history ? commandEvents(history) : [] } : {}),
    });
  }
  return outcomes;
}

const { EventType } = temporal.api.enums.v1;

const COMMAND_EVENTS = new Set<number>([
  EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
  EventType.EVENT_TYPE_TIMER_STARTED,
  EventType.EVENT_TYPE_MARKER_RECORDED,
  EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED,
  EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES,
  EventType.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED,
  EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED,
  EventType.EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW,
]);

/** "5 ActivityTaskScheduled runDetectionModel on offload-gpu", one per command-producing event. */
export function commandEvents(history: History): string[] {
  return (history.events ?? [])
    .filter((event) => COMMAND_EVENTS.has(event.eventType ?? 0))
    .map((event) => {
      const name = EventType[event.eventType ?? 0].replace('EVENT_TYPE_', '').toLowerCase().replace(/(^|_)(\w)/g, (_m, _s, c: string) => c.toUpperCase());
      const activity = event.activityTaskScheduledEventAttributes;
      const detail = activity ? ` ${activity.activityType?.name} on ${activity.taskQueue?.name}` : event.timerStartedEventAttributes ? ` ${event.timerStartedEventAttributes.timerId}` : '';
      return `${event.eventId} ${name}${detail}`;
    });
}

/** A readable report of replay outcomes. */
export function formatReplay(outcomes: ReplayOutcome[]): string {
  const lines: string[] = [];
  for (const outcome of outcomes) {
    if (outcome.ok) {
      lines.push(`ok        ${outcome.workflowId}`);
      continue;
    }
    lines.push(`DIVERGED  ${outcome.workflowId} (run ${outcome.runId})`, `  ${outcome.problem}`, '  recorded commands:');
    for (const command of outcome.recordedCommands ?? []) lines.push(`    ${command}`);
  }
  const failed = outcomes.filter((o) => !o.ok).length;
  lines.push(`${outcomes.length - failed} of ${outcomes.length} histories replay with the current workflow code`);
  return lines.join('\n');
}
