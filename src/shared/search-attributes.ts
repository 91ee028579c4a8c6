import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { Outcome } from './outcome';

/** Custom search attributes every run sets, so operators can filter runs in the Temporal UI. */
export const TaskTypeKey = defineSearchAttributeKey('OffloadTaskType', SearchAttributeType.KEYWORD);
export const HardwareKey = defineSearchAttributeKey('OffloadHardware', SearchAttributeType.KEYWORD);
export const RobotKey = defineSearchAttributeKey('OffloadRobot', SearchAttributeType.KEYWORD);
export const PriorityKey = defineSearchAttributeKey('OffloadPriority', SearchAttributeType.INT);
export const OutcomeKey = defineSearchAttributeKey('OffloadOutcome', SearchAttributeType.KEYWORD);
export const DegradedKey = defineSearchAttributeKey('OffloadDegraded', SearchAttributeType.BOOL);
export const ModelKey = defineSearchAttributeKey('OffloadModel', SearchAttributeType.KEYWORD);
export const RerunOfKey = defineSearchAttributeKey('OffloadRerunOf', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTE_KEYS = [
  TaskTypeKey,
  HardwareKey,
  RobotKey,
  PriorityKey,
  OutcomeKey,
  DegradedKey,
  ModelKey,
  RerunOfKey,
];

/** `OffloadOutcome` set to one of the outcomes (for starting a run or upserting its attributes). */
export function outcomeAttribute(outcome: Outcome): { key: typeof OutcomeKey; value: Outcome } {
  return { key: OutcomeKey, value: outcome };
}
