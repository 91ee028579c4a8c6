import type { DetectionResult } from '../shared/detection';
import type { TaskResult } from '../shared/task';
import type { TaskListEntry } from './offload-client';

/** A human-readable TaskResult. */
export function formatResult(result: TaskResult): string {
  const meta = result.meta;
  const lines = [`${result.task_id}: ${result.status}${result.error ? ` - ${result.error}` : ''}`];
  if (meta.hardware) lines.push(`  ran on ${meta.hardware} (${meta.execution_provider}) with ${meta.model} [${meta.model_kind}] in ${result.processing_time_ms} ms`);
  for (const step of meta.degradation ?? []) lines.push(`  degraded ${step.from} -> ${step.to}: ${step.reason} (${step.detail})`);
  if (meta.fallback_required) lines.push('  fallback_required: the robot should do this task itself');
  const boxes = (result.result as DetectionResult | null)?.boxes;
  if (Array.isArray(boxes)) {
    for (const b of boxes) lines.push(`  ${b.label.padEnd(14)} ${b.score.toFixed(2)}  [${b.box.map((v) => Math.round(v)).join(', ')}]`);
  } else if (result.result) {
    lines.push(`  ${JSON.stringify(result.result).slice(0, 500)}`);
  }
  return lines.join('\n');
}

export function formatList(entries: TaskListEntry[]): string {
  if (entries.length === 0) return 'no tasks';
  return entries
    .map((e) => [e.start_time, e.task_id, e.task_type ?? '-', e.robot_id ?? '-', `p${e.priority ?? '-'}`, e.outcome ?? e.workflow_status].join('  '))
    .join('\n');
}
