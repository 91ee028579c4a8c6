import { CancellationScope, condition, continueAsNew, defineQuery, defineSignal, defineUpdate, proxyActivities, setHandler, workflowInfo, isCancellation } from '@temporalio/workflow';
import {
  REALTIME_SIGNALS,
  REALTIME_SNAPSHOT_QUERY,
  REALTIME_UPDATES,
  type CancelResponseArgs,
  type CommitAudioArgs,
  type ConfigureSignalArgs,
  type CreateItemArgs,
  type CreateResponseArgs,
  type CreateResponseResult,
  type DeleteItemArgs,
  type DetachSignalArgs,
  type EngineEvent,
  type GatewayAttachment,
  type ItemPlacement,
  type RealtimeGatewayActivities,
  type RealtimeItem,
  type RealtimeResponseRecord,
  type RealtimeSessionInput,
  type RealtimeSnapshot,
  type SentenceSignalArgs,
  type TruncateItemArgs,
} from '../shared/realtime-session';
import { ConversationItems, protocolError } from './realtime-items';
import { markCancelled, runResponse, transcribe, truncateTo, type SessionParts } from './realtime-response';

export const attachUpdate = defineUpdate<RealtimeSnapshot, [GatewayAttachment]>(REALTIME_UPDATES.attach);
export const commitAudioUpdate = defineUpdate<ItemPlacement, [CommitAudioArgs]>(REALTIME_UPDATES.commitAudio);
export const createItemUpdate = defineUpdate<ItemPlacement, [CreateItemArgs]>(REALTIME_UPDATES.createItem);
export const deleteItemUpdate = defineUpdate<{ item_id: string }, [DeleteItemArgs]>(REALTIME_UPDATES.deleteItem);
export const truncateItemUpdate = defineUpdate<TruncateItemArgs, [TruncateItemArgs]>(REALTIME_UPDATES.truncateItem);
export const createResponseUpdate = defineUpdate<CreateResponseResult, [CreateResponseArgs]>(REALTIME_UPDATES.createResponse);
export const cancelResponseUpdate = defineUpdate<RealtimeResponseRecord, [CancelResponseArgs]>(REALTIME_UPDATES.cancelResponse);
export const configureSignal = defineSignal<[ConfigureSignalArgs]>(REALTIME_SIGNALS.configure);
export const detachSignal = defineSignal<[DetachSignalArgs]>(REALTIME_SIGNALS.detach);
export const endSessionSignal = defineSignal(REALTIME_SIGNALS.endSession);
export const sentenceSignal = defineSignal<[SentenceSignalArgs]>(REALTIME_SIGNALS.sentence);
export const snapshotQuery = defineQuery<RealtimeSnapshot>(REALTIME_SNAPSHOT_QUERY);

/** Responses per run before it continues as new (the conversation, not the history, is carried). */
export const RESPONSES_PER_RUN = 40;
const CARRIED_ITEMS = 40;
const DELIVERY_TIMEOUT_MS = 5000;

export interface RealtimeSessionSummary {
  session_id: string;
  responses: number;
  ended: 'client_closed' | 'idle' | 'detached';
}

interface Active {
  record: RealtimeResponseRecord;
  item: RealtimeItem | undefined;
  scope: CancellationScope;
  cancelled?: CancelResponseArgs;
  done: Promise<void>;
}

/**
 * A Realtime session as an actor: it holds the configuration and the conversation (text and audio
 * references), transcribes committed audio, runs responses one at a time (out-of-band ones beside),
 * and tells the attached gateway instance what happened through `deliverRealtimeEvents`. It outlives
 * its socket: a detached session waits `resume_ttl_ms` for the client to come back with its id.
 */
export async function realtimeSession(input: RealtimeSessionInput): Promise<RealtimeSessionSummary> {
  const carried = input.carried;
  let session = carried?.session ?? input.session;
  let settings = carried?.settings ?? input.settings;
  let attached: GatewayAttachment | undefined = carried ? carried.attached : input.attachment;
  let detachedAt = carried?.detached_at ?? Date.now();
  const items = new ConversationItems([...(carried?.items ?? [])]);
  const outbox: EngineEvent[] = [...(carried?.outbox ?? [])];
  const responses: RealtimeResponseRecord[] = [];
  const running = new Set<Promise<void>>();
  let active: Active | undefined;
  let lastClientEventAt = Date.now();
  let ended = false;
  const parts: SessionParts = { input, items, emit: (event) => void outbox.push(event) };
  const track = (work: Promise<void>): void => {
    running.add(work);
    void work.finally(() => running.delete(work));
  };
  const touched = (): void => void (lastClientEventAt = Date.now());

  const snapshot = (): RealtimeSnapshot => ({ session, items: items.list, ...(active ? { active_response: active.record } : {}) });

  setHandler(snapshotQuery, snapshot);

  setHandler(
    attachUpdate,
    (attachment) => {
      touched();
      attached = attachment;
      // What the old connection was not told, the snapshot shows.
      outbox.length = 0;
      return snapshot();
    },
  );
  setHandler(configureSignal, (args) => {
    touched();
    session = args.session;
    settings = args.settings;
  });
  setHandler(detachSignal, (args) => {
    if (attached?.connection_id !== args.connection_id) return;
    attached = undefined;
    detachedAt = Date.now();
  });
  setHandler(endSessionSignal, () => void (ended = true));
  setHandler(sentenceSignal, () => undefined);

  setHandler(
    commitAudioUpdate,
    (args) => {
      touched();
      const item: RealtimeItem = { id: args.item_id, role: 'user', content_type: 'input_audio', status: 'completed', text: '', audio_ref: args.audio_ref, transcription: 'pending' };
      const placement = items.insert(item, args.previous_item_id);
      track(transcribe(parts, item, settings.language, args.duration_ms));
      return placement;
    },
    { validator: (args) => items.checkPlacement(args.item_id, args.previous_item_id) },
  );

  setHandler(
    createItemUpdate,
    (args) => {
      touched();
      return items.insert({ ...args.item, status: 'completed' }, args.previous_item_id);
    },
    { validator: (args) => items.checkPlacement(args.item.id, args.previous_item_id) },
  );

  setHandler(
    deleteItemUpdate,
    (args) => {
      touched();
      items.remove(args.item_id);
      return { item_id: args.item_id };
    },
    { validator: (args) => void items.require(args.item_id, 'item_id') },
  );

  setHandler(
    truncateItemUpdate,
    (args) => {
      touched();
      const item = items.require(args.item_id, 'item_id');
      const record = responses.find((r) => r.item_id === item.id) ?? (active?.item === item ? active.record : undefined);
      if (record) truncateTo(record, item, args.audio_end_ms);
      else item.audio_ms = Math.min(item.audio_ms ?? args.audio_end_ms, args.audio_end_ms);
      return args;
    },
    {
      validator: (args) => {
        const item = items.require(args.item_id, 'item_id');
        if (item.role !== 'assistant' || item.content_type !== 'output_audio') throw protocolError('invalid_value', `Only an assistant item with audio can be truncated; '${item.id}' is not one.`, 'item_id');
        if (args.audio_end_ms < 0 || args.audio_end_ms > (item.audio_ms ?? 0)) throw protocolError('invalid_value', `audio_end_ms ${args.audio_end_ms} is past the item's audio (${item.audio_ms ?? 0} ms).`, 'audio_end_ms');
      },
    },
  );

  setHandler(
    createResponseUpdate,
    (args) => {
      touched();
      const overrides = args.overrides ?? {};
      const conversation = overrides.conversation ?? 'auto';
      const item_id = args.item_id ?? `msg_${args.response_id.replace(/^resp_/, '')}`;
      const turn = { ...settings, ...stripUndefined(overrides) };
      const record: RealtimeResponseRecord = { response_id: args.response_id, status: 'in_progress', item_id, conversation, output_modalities: turn.output_modalities, parts: [], degraded: [], ...(overrides.metadata ? { metadata: overrides.metadata } : {}) };
      const item: RealtimeItem = { id: item_id, role: 'assistant', content_type: turn.output_modalities.includes('audio') ? 'output_audio' : 'output_text', status: 'in_progress', text: '' };
      if (conversation === 'auto') items.insert(item);
      const scope = new CancellationScope();
      const entry: Active = { record, item, scope, done: Promise.resolve() };
      entry.done = scope
        .run(() => runResponse(parts, record, turn, item, overrides.input_item_ids))
        .catch((err: unknown) => {
          if (!isCancellation(err)) throw err;
          markCancelled(record, item, entry.cancelled ?? { reason: 'client_cancelled' });
        })
        .then(() => {
          responses.push(record);
          outbox.push({ type: 'response.finished', response: record });
          if (active === entry) active = undefined;
        });
      if (conversation === 'auto') active = entry;
      track(entry.done);
      return { response_id: args.response_id, item_id };
    },
    {
      validator: (args) => {
        if ((args.overrides?.conversation ?? 'auto') === 'auto' && active) {
          throw protocolError('conversation_already_has_active_response', `Conversation already has an active response in progress: ${active.record.response_id}. Wait until the response is finished before creating a new one.`);
        }
        for (const id of args.overrides?.input_item_ids ?? []) items.require(id, 'response.input');
      },
    },
  );

  setHandler(
    cancelResponseUpdate,
    async (args) => {
      touched();
      const entry = active as Active;
      entry.cancelled = args;
      entry.scope.cancel();
      await entry.done;
      return entry.record;
    },
    {
      validator: (args) => {
        if (!active || (args.response_id && args.response_id !== active.record.response_id)) {
          throw protocolError('response_cancel_not_active', args.response_id ? `Response '${args.response_id}' is not active.` : 'Cancellation failed: no active response found.', args.response_id ? 'response_id' : undefined);
        }
      },
    },
  );

  void deliverOutbox();

  for (;;) {
    const now = Date.now();
    const idleLeft = lastClientEventAt + input.idle_timeout_ms - now;
    const resumeLeft = attached || active ? Infinity : detachedAt + input.resume_ttl_ms - now;
    const wait = Math.max(1, Math.min(idleLeft, resumeLeft));
    const full = () => running.size === 0 && (workflowInfo().continueAsNewSuggested || responses.length >= RESPONSES_PER_RUN);
    const [attachedThen, activeThen] = [attached, active];
    // A new attachment or response changes which timeout applies: the loop wakes to work it out again.
    const woken = () => ended || full() || attached !== attachedThen || active !== activeThen;
    await (Number.isFinite(wait) ? condition(woken, wait) : condition(woken));
    if (ended) return finish('client_closed');
    if (Date.now() - lastClientEventAt >= input.idle_timeout_ms) return finish('idle');
    if (!attached && !active && Date.now() - detachedAt >= input.resume_ttl_ms) return finish('detached');
    if (full()) return carryOn();
  }

  async function finish(why: RealtimeSessionSummary['ended']): Promise<RealtimeSessionSummary> {
    if (active) {
      active.cancelled = { reason: 'client_cancelled' };
      active.scope.cancel();
    }
    await condition(() => running.size === 0 && (outbox.length === 0 || !attached));
    return { session_id: input.session_id, responses: (carried?.responses_before ?? 0) + responses.length, ended: why };
  }

  async function carryOn(): Promise<never> {
    await condition(() => outbox.length === 0 || !attached);
    return continueAsNew<typeof realtimeSession>({
      ...input,
      carried: {
        items: items.list.slice(-CARRIED_ITEMS),
        responses_before: (carried?.responses_before ?? 0) + responses.length,
        session,
        settings,
        outbox,
        ...(attached ? { attached } : { detached_at: detachedAt }),
      },
    });
  }

  /** Control events to the attached instance, in order; an instance that cannot take them is taken as gone. */
  async function deliverOutbox(): Promise<void> {
    for (;;) {
      await condition(() => outbox.length > 0 && attached !== undefined);
      const to = attached as GatewayAttachment;
      const events = outbox.slice(0, outbox.length);
      const gateway = proxyActivities<RealtimeGatewayActivities>({
        taskQueue: to.task_queue,
        scheduleToCloseTimeout: DELIVERY_TIMEOUT_MS,
        retry: { maximumAttempts: 3, initialInterval: '100ms' },
        summary: `events to ${to.connection_id}`,
      });
      try {
        await gateway.deliverRealtimeEvents({ session_id: input.session_id, connection_id: to.connection_id, events });
        if (attached === to) outbox.splice(0, events.length);
      } catch {
        if (attached === to) {
          attached = undefined;
          detachedAt = Date.now();
        }
      }
    }
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
