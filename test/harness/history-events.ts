import { temporal } from '@temporalio/proto';

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
