import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { SUPERSEDED_SIGNAL, type SupersededSignalArgs } from '../shared/delivery';

/** What the tracker needs to know about, and do to, a frame's run. */
export interface FrameRunControl {
  /** True while the frame's inference has not started (not scheduled yet, or waiting in a queue). */
  isQueued(taskId: string): Promise<boolean>;
  /**
   * Tells the run a newer frame made its inference worthless: it cancels it and hands over its fail-safe,
   * which the bridge holds (see `hold`); `delivered`: the newer frame's result reached the robot, so no answer is needed.
   */
  supersede(taskId: string, by: string, delivered: boolean): Promise<void>;
}

interface InFlightFrame {
  taskId: string;
  ts: number;
  receivedAt: number;
  /** Its run has been started (the start call returned). */
  started: boolean;
  /** A newer frame's run started before this one's did: supersede it as soon as it exists. */
  supersededBy?: string;
  /** Its run was told: it skipped inference and hands over its fail-safe, published unless a newer result is delivered first. */
  superseded: boolean;
}

export interface FrameTrackerOptions {
  control: FrameRunControl;
  /** Called once for each frame superseded, after its run was told. */
  onSuperseded?: (taskId: string, by: string) => void;
  /** Frames older than this (ms since received) are forgotten: their runs are over. */
  forgetAfterMs: number;
}

/**
 * Frames of each robot between arrival and delivery. A frame's inference is worthless once a newer
 * frame exists: a newer frame supersedes older frames still waiting for inference (the one being
 * inferred finishes: cancelling it too would starve a slow PC of every result). Their answer is not:
 * a superseded frame still gives its fail-safe unless a newer frame's result reaches the robot first,
 * and a delivered frame tells every older frame in flight that it needs no answer.
 */
export class FrameTracker {
  private readonly inFlight = new Map<string, InFlightFrame[]>();
  /** Per robot: the ts of the newest frame delivered, and when (ms). */
  private readonly lastDelivered = new Map<string, { ts: number; at: number }>();
  /** Per robot: fail-safes of superseded frames held until their publish time. */
  private readonly held = new Map<string, Array<{ ts: number; release: () => void }>>();

  constructor(private readonly options: FrameTrackerOptions) {}

  /** A frame arrived; its run is being started. */
  received(robotId: string, taskId: string, ts: number, now = Date.now()): void {
    const frames = this.framesOf(robotId, now);
    if (!frames.some((f) => f.taskId === taskId)) frames.push({ taskId, ts, receivedAt: now, started: false, superseded: false });
  }

  /** The frame's run has started; older frames that still wait for inference are superseded. */
  async admitted(robotId: string, taskId: string): Promise<void> {
    const frames = this.inFlight.get(robotId) ?? [];
    const frame = frames.find((f) => f.taskId === taskId);
    if (!frame) return;
    frame.started = true;
    if (frame.supersededBy) return this.supersede(robotId, frame, frame.supersededBy);
    await Promise.all(
      frames
        .filter((f) => f.ts < frame.ts && !f.superseded)
        .map(async (older) => {
          if (!older.started) older.supersededBy = taskId;
          else if (await this.options.control.isQueued(older.taskId).catch(() => false)) await this.supersede(robotId, older, taskId);
        }),
    );
  }

  /**
   * The frame's result was published: every older frame in flight is worthless now. `receivedAt`: when
   * the frame reached the bridge; a frame sent after the last delivery is the robot's newest even with a
   * smaller ts (its clock went back, or the last ts was junk), so one bad ts cannot outdate every later frame.
   */
  async delivered(robotId: string, taskId: string, ts: number, receivedAt = 0, now = Date.now()): Promise<void> {
    const last = this.lastDelivered.get(robotId);
    if (!last || ts >= last.ts || receivedAt > last.at) this.lastDelivered.set(robotId, { ts, at: now });
    this.forget(robotId, taskId);
    for (const hold of (this.held.get(robotId) ?? []).filter((h) => this.isOutdated(robotId, h.ts, 0))) hold.release();
    const older = (this.inFlight.get(robotId) ?? []).filter((f) => f.ts < ts);
    for (const frame of older) this.forget(robotId, frame.taskId);
    await Promise.all(older.map((frame) => this.tell(frame, taskId, true)));
  }

  /** A result for a frame older than one already delivered, and received before that delivery. */
  isOutdated(robotId: string, ts: number, receivedAt = 0): boolean {
    const last = this.lastDelivered.get(robotId);
    return last !== undefined && ts < last.ts && receivedAt <= last.at;
  }

  /**
   * Holds a superseded frame's fail-safe until `until` (epoch ms), or until a newer frame's result is
   * delivered (then it is outdated), or until `releaseHeld`. A Node timer here, not a workflow timer:
   * Temporal's timers fire hundreds of milliseconds late, too late for a 1 s budget.
   */
  hold(robotId: string, ts: number, until: number, now = Date.now()): Promise<void> {
    if (this.isOutdated(robotId, ts)) return Promise.resolve();
    return new Promise((resolve) => {
      const holds = this.held.get(robotId) ?? [];
      this.held.set(robotId, holds);
      const hold = {
        ts,
        release: () => {
          clearTimeout(timer);
          const index = holds.indexOf(hold);
          if (index >= 0) holds.splice(index, 1);
          resolve();
        },
      };
      // A timer counts whole milliseconds of the loop clock and can fire up to one before its time: it waits out the rest.
      const due = performance.now() + Math.max(0, until - now);
      let timer: NodeJS.Timeout | undefined;
      const releaseWhenDue = (): void => {
        const left = due - performance.now();
        if (left <= 0) return hold.release();
        timer = setTimeout(releaseWhenDue, Math.ceil(left));
        timer.unref();
      };
      holds.push(hold);
      releaseWhenDue();
    });
  }

  /** Releases the robot's held fail-safes now, oldest first: nothing will answer their frames sooner. */
  releaseHeld(robotId: string): void {
    for (const hold of [...(this.held.get(robotId) ?? [])].sort((a, b) => a.ts - b.ts)) hold.release();
  }

  forget(robotId: string, taskId: string): void {
    const frames = this.inFlight.get(robotId);
    if (!frames) return;
    const index = frames.findIndex((f) => f.taskId === taskId);
    if (index >= 0) frames.splice(index, 1);
  }

  inFlightCount(robotId: string): number {
    return this.inFlight.get(robotId)?.length ?? 0;
  }

  private async supersede(robotId: string, frame: InFlightFrame, by: string): Promise<void> {
    if (frame.superseded || !(this.inFlight.get(robotId) ?? []).includes(frame)) return;
    await this.tell(frame, by, false);
  }

  /** Signals the run; `onSuperseded` counts each frame once, whichever signal it got first. */
  private async tell(frame: InFlightFrame, by: string, delivered: boolean): Promise<void> {
    const first = !frame.superseded;
    frame.superseded = true;
    try {
      await this.options.control.supersede(frame.taskId, by, delivered);
      if (first) this.options.onSuperseded?.(frame.taskId, by);
    } catch {
      // the run ended meanwhile: nothing left to skip
    }
  }

  private framesOf(robotId: string, now: number): InFlightFrame[] {
    const frames = (this.inFlight.get(robotId) ?? []).filter((f) => now - f.receivedAt < this.options.forgetAfterMs);
    this.inFlight.set(robotId, frames);
    return frames;
  }
}

const { PendingActivityState } = temporal.api.enums.v1;

/** Reads and signals frame runs through Temporal. */
export function temporalFrameRuns(client: Client): FrameRunControl {
  return {
    async isQueued(taskId) {
      const description = await client.workflow.getHandle(taskId).describe();
      if (description.status.name !== 'RUNNING') return false;
      return (description.raw.pendingActivities ?? []).every(
        (a) => a.state === PendingActivityState.PENDING_ACTIVITY_STATE_SCHEDULED && a.activityType?.name !== 'deliverResult',
      );
    },
    async supersede(taskId, by, delivered) {
      await client.workflow.getHandle(taskId).signal<[SupersededSignalArgs]>(SUPERSEDED_SIGNAL, { by, ...(delivered ? { delivered } : {}) });
    },
  };
}
