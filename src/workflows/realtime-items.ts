import { ApplicationFailure } from '@temporalio/workflow';
import { REALTIME_FAILURE_TYPE, type ItemPlacement, type RealtimeFailureDetails, type RealtimeItem } from '../shared/realtime-session';

/** The error a validator or handler answers with; the gateway turns it into the client's `error` event. */
export function protocolError(code: RealtimeFailureDetails['code'], message: string, param?: string): ApplicationFailure {
  const details: RealtimeFailureDetails = { code, message, ...(param ? { param } : {}) };
  return ApplicationFailure.create({ type: REALTIME_FAILURE_TYPE, message, details: [details], nonRetryable: true });
}

/** A session's conversation: items in order, each id once. */
export class ConversationItems {
  constructor(readonly list: RealtimeItem[] = []) {}

  get(id: string): RealtimeItem | undefined {
    return this.list.find((item) => item.id === id);
  }

  /** Throws the protocol's error when `id` is not an item (for validators). */
  require(id: string, param: string): RealtimeItem {
    const item = this.get(id);
    if (!item) throw protocolError('item_not_found', `Item with item_id '${id}' not found.`, param);
    return item;
  }

  /** Throws when `item` cannot be placed after `previous` (undefined: the end; null: the start). */
  checkPlacement(id: string, previous: string | null | undefined): void {
    if (this.get(id)) throw protocolError('invalid_value', `Item with id '${id}' already exists.`, 'item.id');
    if (previous) this.require(previous, 'previous_item_id');
  }

  insert(item: RealtimeItem, previous?: string | null): ItemPlacement {
    const at = previous === null ? 0 : previous === undefined ? this.list.length : this.list.findIndex((i) => i.id === previous) + 1;
    this.list.splice(at, 0, item);
    return { item_id: item.id, previous_item_id: at === 0 ? null : this.list[at - 1].id };
  }

  remove(id: string): void {
    const at = this.list.findIndex((item) => item.id === id);
    if (at >= 0) this.list.splice(at, 1);
  }

  /** User items whose transcript is still being made (a response waits for them). */
  transcribing(ids?: string[]): RealtimeItem[] {
    return this.list.filter((item) => item.transcription === 'pending' && (!ids || ids.includes(item.id)));
  }
}
