import { CancellationScope, condition, continueAsNew, defineQuery, defineSignal, setCurrentDetails, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  END_SESSION_SIGNAL,
  TURNS_QUERY,
  UTTERANCE_SIGNAL,
  type ConversationLine,
  type TurnRecord,
  type UtteranceSignalArgs,
  type VoiceSessionInput,
  type VoiceSessionSummary,
} from '../shared/voice-session';
import { runTurn } from './voice-turn';

export const utteranceSignal = defineSignal<[UtteranceSignalArgs]>(UTTERANCE_SIGNAL);
export const endSessionSignal = defineSignal(END_SESSION_SIGNAL);
export const turnsQuery = defineQuery<TurnRecord[]>(TURNS_QUERY);

/** Turns per run before it continues as new (the history stays small; the conversation is carried). */
export const TURNS_PER_RUN = 50;
const CARRIED_LINES = 12;

/**
 * A voice session: one conversation of one robot (or one gateway client), a turn per utterance the
 * front door found. Turns run one after another; an utterance that comes while a turn has not yet
 * answered interrupts that turn (the newest utterance wins). The session ends after
 * `idle_timeout_ms` without an utterance, or when the stream ends, and continues as new every
 * TURNS_PER_RUN turns, carrying the conversation and any utterance still waiting.
 */
export async function voiceSession(input: VoiceSessionInput): Promise<VoiceSessionSummary> {
  const pending: UtteranceSignalArgs[] = [...(input.carried?.pending ?? [])];
  const conversation: ConversationLine[] = [...(input.carried?.conversation ?? [])];
  const turns: TurnRecord[] = [];
  const turnsBefore = input.carried?.turns_before ?? 0;
  let streamEnded = false;
  let current: { scope: CancellationScope; answering: boolean } | undefined;

  setHandler(utteranceSignal, (utterance) => {
    if (pending.some((p) => p.turn_id === utterance.turn_id) || turns.some((t) => t.turn_id === utterance.turn_id)) return;
    pending.push(utterance);
    if (current && !current.answering) current.scope.cancel();
  });
  setHandler(endSessionSignal, () => void (streamEnded = true));
  setHandler(turnsQuery, () => turns);

  for (;;) {
    const heard = await condition(() => pending.length > 0 || streamEnded, input.idle_timeout_ms);
    if (pending.length === 0) return { session_id: input.session_id, turns: turnsBefore + turns.length, ended: heard ? 'stream_ended' : 'idle' };
    while (pending.length > 1) turns.push(interrupted(pending.shift() as UtteranceSignalArgs, input.language));
    const utterance = pending.shift() as UtteranceSignalArgs;
    const scope = new CancellationScope();
    const turn = { scope, answering: false };
    current = turn;
    const record = await scope.run(() => runTurn(input, utterance, conversation, { answering: () => void (turn.answering = true) }));
    current = undefined;
    turns.push(record);
    if (record.outcome === 'answered' && record.reply) conversation.push({ role: 'user', content: record.text }, { role: 'assistant', content: record.reply });
    setCurrentDetails(describe(turnsBefore + turns.length, record));
    if (turns.length >= TURNS_PER_RUN || workflowInfo().continueAsNewSuggested) {
      return continueAsNew<typeof voiceSession>({
        ...input,
        carried: { conversation: conversation.slice(-CARRIED_LINES), turns_before: turnsBefore + turns.length, pending: [...pending] },
      });
    }
  }
}

function interrupted(utterance: UtteranceSignalArgs, language: string): TurnRecord {
  return { turn_id: utterance.turn_id, outcome: 'interrupted', text: '', language, spoke: false, detail: 'a newer utterance came before this one was heard', timings: {}, degraded: [], deliveries: [] };
}

function describe(turnNumber: number, t: TurnRecord): string {
  const said = t.text ? `"${t.text}"` : '(nothing heard)';
  const intent = t.intent ? ` → ${t.intent.kind} **${t.intent.name}**` : '';
  const reply = t.reply ? ` → "${t.reply}"` : '';
  return `turn ${turnNumber}: **${t.outcome}** ${said}${intent}${reply}`;
}
