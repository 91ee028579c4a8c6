import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

type Timestamp = { seconds?: { toString(): string } | number | null; nanos?: number | null } | null | undefined;

function timestampMs(ts: Timestamp): number {
  if (!ts) return Number.NaN;
  return Number(String(ts.seconds ?? 0)) * 1000 + (ts.nanos ?? 0) / 1e6;
}

function eventName(type: number | null | undefined): string {
  const name = temporal.api.enums.v1.EventType[type ?? 0] ?? String(type);
  return name.replace(/^EVENT_TYPE_/, '');
}

/**
 * Where a run's time goes on the server: the median gap between each pair of consecutive history
 * events (by event name), and the median first-to-last event span, over the given workflows.
 */
export async function historyGaps(client: Client, workflowIds: string[]): Promise<{ spanP50Ms: number; gapsP50Ms: Record<string, number> }> {
  const gaps = new Map<string, number[]>();
  const spans: number[] = [];
  for (const id of workflowIds) {
    const history = await client.workflow.getHandle(id).fetchHistory();
    const events = history.events ?? [];
    for (let index = 1; index < events.length; index++) {
      const key = `${index}:${eventName(events[index - 1].eventType)}→${eventName(events[index].eventType)}`;
      const gap = timestampMs(events[index].eventTime as Timestamp) - timestampMs(events[index - 1].eventTime as Timestamp);
      gaps.set(key, [...(gaps.get(key) ?? []), gap]);
    }
    if (events.length > 1) spans.push(timestampMs(events[events.length - 1].eventTime as Timestamp) - timestampMs(events[0].eventTime as Timestamp));
  }
  const gapsP50Ms: Record<string, number> = {};
  for (const [key, values] of gaps) gapsP50Ms[key] = Math.round(median(values) * 10) / 10;
  return { spanP50Ms: median(spans), gapsP50Ms };
}

function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
