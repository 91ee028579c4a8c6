import { temporal } from '@temporalio/proto';
import { defaultPayloadConverter } from '@temporalio/common';

export type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
export const { EventType } = temporal.api.enums.v1;

type ProtoTime = { seconds?: { toNumber(): number } | number | null; nanos?: number | null } | null | undefined;

/** A protobuf Timestamp (an event's server time, epoch ms) or Duration (ms). */
export function protoMs(time: ProtoTime): number {
  if (!time) return NaN;
  const seconds = typeof time.seconds === 'number' ? time.seconds : (time.seconds?.toNumber() ?? 0);
  return seconds * 1000 + (time.nanos ?? 0) / 1e6;
}

/** The events of one type, in history order. */
export function eventsOf(events: HistoryEvent[], type: temporal.api.enums.v1.EventType): HistoryEvent[] {
  return events.filter((e) => e.eventType === type);
}

/** The decoded inputs (first argument) and results of one activity type's executions, in history order. */
export function activityPayloads(events: HistoryEvent[], activityType: string): { inputs: unknown[]; results: unknown[] } {
  const scheduled = new Set<number>();
  const inputs: unknown[] = [];
  const results: unknown[] = [];
  for (const e of events) {
    const s = e.activityTaskScheduledEventAttributes;
    if (s?.activityType?.name === activityType) {
      scheduled.add(Number(e.eventId));
      const first = s.input?.payloads?.[0];
      if (first) inputs.push(defaultPayloadConverter.fromPayload(first));
    }
    const c = e.activityTaskCompletedEventAttributes;
    if (c && scheduled.has(Number(c.scheduledEventId))) {
      const first = c.result?.payloads?.[0];
      if (first) results.push(defaultPayloadConverter.fromPayload(first));
    }
  }
  return { inputs, results };
}

/** Bytes of the largest payload any event of the history carries. */
export function largestPayloadBytes(events: HistoryEvent[]): number {
  let largest = 0;
  const visit = (value: unknown): void => {
    if (!value || typeof value !== 'object') return;
    if (value instanceof Uint8Array) return void (largest = Math.max(largest, value.byteLength));
    for (const v of Object.values(value)) visit(v);
  };
  for (const e of events) visit(e);
  return largest;
}

/** The activity a local-activity marker records (a patch's marker has none). */
export function localActivityOf(event: HistoryEvent): string | undefined {
  if (event.markerRecordedEventAttributes?.markerName !== 'core_local_activity') return undefined;
  const details = event.markerRecordedEventAttributes.details?.data?.payloads?.[0]?.data;
  if (!details) return undefined;
  return (JSON.parse(Buffer.from(details).toString('utf8')) as { activity_type?: string }).activity_type;
}

/** The activities a run called, in order: scheduled ones and local ones (the fast path's delivery). */
export function calledActivities(events: HistoryEvent[]): string[] {
  return events.flatMap((e) => {
    const name = e.activityTaskScheduledEventAttributes?.activityType?.name ?? localActivityOf(e);
    return name ? [String(name)] : [];
  });
}
