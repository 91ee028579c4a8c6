import { decodedLength, formatBytes } from '../shared/base64';
import type { TaskEnvelope } from '../shared/task';
import type { TaskPolicy } from '../shared/workflow-input';

/** One line for the Temporal UI's run list. */
export function staticSummary(envelope: TaskEnvelope): string {
  return `${envelope.task_type} from ${envelope.meta.robot_id ?? 'api'} (priority ${envelope.priority})`;
}

/** Markdown shown on the run's page in the Temporal UI. */
export function staticDetails(envelope: TaskEnvelope, policy: TaskPolicy): string {
  return [
    `**Task** \`${envelope.task_id}\` (${envelope.task_type})`,
    `- robot: ${envelope.meta.robot_id ?? 'none (API client)'}`,
    `- input: ${describeInput(envelope)}`,
    `- priority: ${envelope.priority}`,
    `- deadline: ${policy.deadlineMs} ms`,
    `- route: ${[...policy.route, 'robot'].join(' → ')}`,
  ].join('\n');
}

function describeInput(envelope: TaskEnvelope): string {
  const payload = envelope.payload as unknown as Record<string, unknown>;
  for (const field of ['image_base64', 'audio_base64']) {
    const value = payload[field];
    if (typeof value === 'string') return `${field.replace('_base64', '')}, ${formatBytes(decodedLength(value))}`;
  }
  const text = payload.text ?? payload.prompt;
  return typeof text === 'string' ? `text, ${text.length} characters` : 'none';
}
