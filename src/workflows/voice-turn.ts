import { isCancellation, patched, proxyActivities } from '@temporalio/workflow';
import type { BridgeActivities } from '../shared/bridge-activities';
import type { DeliveryOutcome, DeliverySpec } from '../shared/delivery';
import { ErrorType } from '../shared/errors';
import type { PayloadByTaskType, TaskResult } from '../shared/task';
import { DEFAULT_PRIORITY, type TaskType } from '../shared/task-types';
import { asrPromptFor } from '../shared/voice-asr-prompts';
import { replyFor, robotCommandOf, systemPromptFor } from '../shared/voice-replies';
import type { ConversationLine, RobotIntent, StoredSpeech, TurnAnswer, TurnRecord, UtteranceSignalArgs, VoiceSessionInput, VoiceStepType } from '../shared/voice-session';
import type { TaskWorkflowInput } from '../shared/workflow-input';
import { runOnLadder, type ModelActivityName, type ResultOf, type TaskTypeOf } from './run-on-ladder';

/** Below this NLU confidence an utterance is chat, not a command. */
const COMMAND_CONFIDENCE = 0.5;
/**
 * Outside English a command needs its keyword rule: the sentence embedder is English, and its nearest
 * examples for a misheard Polish phrase are noise (CI heard "Co widzisz przed sobą?" as "Zawidisz się,
 * sobą." and its examples said `stop`, 0.59). Runs recorded before this rule replay without it.
 */
export const COMMANDS_NEED_KEYWORDS_OUTSIDE_ENGLISH = 'commands-need-keywords-outside-english';
const CHAT_CONTEXT_LINES = 6;
const REPLY_MAX_TOKENS = 48;
/** A spoken reply is one paragraph. */
const REPLY_STOP = ['\n\n'];
/** Time a bridge may still take an answer after its deadline, only to record it as stale. */
const DELIVERY_GRACE_MS = 500;
/**
 * The bridge heartbeats while it reads the reply audio: a dead bridge's attempt goes to the next one
 * after this, at least 2 s and half of what the turn has left (a busy bridge, 16 s into a loaded CI
 * turn, missed a 2 s heartbeat and its delivered answer was recorded undelivered).
 */
const deliveryHeartbeatTimeoutMs = (remainingMs: number) => Math.max(2000, Math.round(remainingMs / 2));

export interface TurnControl {
  /** Called once, when the turn starts answering: from here on a newer utterance no longer interrupts it. */
  answering(): void;
}

/**
 * One turn: transcript → intent → reply → speech, each step on its hardware ladder, the answer
 * published by the robot's bridge. A command is answered at once (`speak: false`, the robot acts
 * without waiting for speech) and its spoken confirmation follows as `voice.tts.chunk`s; a chat reply
 * goes out in one `voice.asr.result` with its audio in `tts`. Audio stays in the AudioStore.
 */
export async function runTurn(session: VoiceSessionInput, utterance: UtteranceSignalArgs, conversation: ConversationLine[], control: TurnControl): Promise<TurnRecord> {
  const started = Date.now();
  const deliverBy = utterance.closed_at + session.turn_deadline_ms;
  const { language } = session;
  const record: TurnRecord = { turn_id: utterance.turn_id, outcome: 'failed', text: '', language, spoke: false, timings: {}, degraded: [], deliveries: [] };
  const timed = async <A extends ModelActivityName>(type: TaskTypeOf<A>, activity: A, payload: PayloadByTaskType[TaskTypeOf<A>], key: keyof TurnRecord['timings']) => {
    const at = Date.now();
    const result = await runOnLadder(stepInput(session, utterance, type, payload, deliverBy), activity, { startedAt: at, recordOnRun: false });
    record.timings[key] = Date.now() - at;
    if (result.meta.degradation.length > 0) record.degraded.push(type);
    return result;
  };
  const finish = (outcome: TurnRecord['outcome'], detail?: string): TurnRecord => {
    record.outcome = outcome;
    if (detail) record.detail = detail;
    record.timings.total_ms = Date.now() - started;
    return record;
  };

  try {
    const prompt = asrPromptFor(language);
    const asr = await timed('voice.asr', 'runAsrModel', { audio_ref: utterance.audio_ref, format: 'pcm_s16le', sample_rate: 16000, language, ...(prompt ? { prompt } : {}) }, 'asr_ms');
    if (!asr.result) return finish('failed', asr.error ?? 'speech recognition could not be served');
    record.text = asr.result.text.trim();
    if (!record.text) return finish('no_speech', 'the recogniser heard no words');
    const nlu = await timed('text.nlu', 'runNluModel', { text: record.text, language }, 'nlu_ms');
    const intent = robotIntent(nlu.result, record.text);
    record.intent = intent;
    const answer = { turn_id: utterance.turn_id, session_id: session.session_id, text: record.text, language, intent, speech_end_ts: utterance.speech_end_ts };
    const deliver = (a: TurnAnswer) => deliverAnswer(session, utterance, deliverBy, a).then((outcome) => (record.deliveries.push(outcome), outcome));

    if (intent.kind === 'command') {
      record.reply = replyFor(intent.name, language);
      control.answering();
      const sent = await deliver({ ...answer, part: 'result', command: intent.name, reply: record.reply, speak: false });
      record.timings.to_answer_ms = Date.now() - utterance.closed_at;
      const speech = await speak(record.reply);
      if (speech && sent.status === 'delivered') record.spoke = (await deliver({ ...answer, part: 'speech', reply: record.reply, speak: false, speech })).status === 'delivered';
      return finish(sent.status === 'delivered' ? 'answered' : 'failed', sent.status === 'delivered' ? undefined : sent.detail);
    }

    const replyAt = Date.now();
    record.reply = (await chatReply(record.text)) ?? replyFor(intent.name, language);
    record.timings.reply_ms = Date.now() - replyAt;
    const speech = await speak(record.reply);
    control.answering();
    const sent = await deliver({ ...answer, part: 'result', reply: record.reply, speak: true, ...(speech ? { speech } : {}) });
    record.timings.to_answer_ms = Date.now() - utterance.closed_at;
    record.spoke = speech !== undefined && sent.status === 'delivered';
    return finish(sent.status === 'delivered' ? 'answered' : 'failed', sent.status === 'delivered' ? undefined : sent.detail);
  } catch (err) {
    if (isCancellation(err)) return finish('interrupted', 'a newer utterance came before this turn was answered');
    throw err;
  }

  async function speak(text: string): Promise<StoredSpeech | undefined> {
    const tts = await timed('voice.tts', 'runTtsModel', { text, language, store_audio: true }, 'tts_ms');
    const r = tts.result;
    return r?.audio_ref ? { audio_ref: r.audio_ref, sample_rate: r.sample_rate, duration_ms: r.duration_ms } : undefined;
  }

  /** The text model's answer with the conversation so far; undefined when it cannot give one (then the intent's reply). */
  async function chatReply(text: string): Promise<string | undefined> {
    try {
      const payload = { prompt: text, system_prompt: systemPromptFor(language), context: conversation.slice(-CHAT_CONTEXT_LINES), max_tokens: REPLY_MAX_TOKENS, stop: REPLY_STOP, language };
      const generated: TaskResult<ResultOf<'runTextModel'>> = await timed('text.generate', 'runTextModel', payload, 'reply_ms');
      const reply = generated.result?.text.trim();
      return reply ? reply : undefined;
    } catch (err) {
      if (isCancellation(err)) throw err;
      return undefined;
    }
  }
}

function stepInput<T extends TaskType>(session: VoiceSessionInput, utterance: UtteranceSignalArgs, type: T, payload: PayloadByTaskType[T], deliverBy: number): TaskWorkflowInput<T> {
  const policy = session.policies[type as VoiceStepType];
  const suffix = type.split('.')[1];
  return {
    envelope: {
      task_id: `${utterance.turn_id}.${suffix}`,
      task_type: type,
      payload,
      meta: { robot_id: session.robot_id, source: 'voice-session', session_id: session.session_id },
      priority: DEFAULT_PRIORITY[type],
    },
    policy: { ...policy, deadlineMs: Math.max(1, Math.min(policy.deadlineMs, deliverBy - Date.now())) },
  };
}

/** The robot's intent shape; a command only when it is one the robot knows and the classifier is sure. */
function robotIntent(nlu: ResultOf<'runNluModel'> | null | undefined, text: string): RobotIntent {
  const intent = nlu?.intent ?? 'unknown';
  const payload = { text, intent, confidence: nlu?.confidence ?? 0, entities: nlu?.entities ?? {} };
  const command = robotCommandOf(intent);
  const sure = (nlu?.confidence ?? 0) >= COMMAND_CONFIDENCE && (nlu?.matched_by !== 'examples' || (nlu.language ?? 'en') === 'en' || !patched(COMMANDS_NEED_KEYWORDS_OUTSIDE_ENGLISH));
  if (command && sure) return { kind: 'command', name: command, payload };
  return { kind: 'chat', name: intent, payload };
}

async function deliverAnswer(session: VoiceSessionInput, utterance: UtteranceSignalArgs, deliverBy: number, answer: TurnAnswer): Promise<DeliveryOutcome> {
  const remainingMs = deliverBy - Date.now();
  if (remainingMs <= 0) return { status: 'stale', detail: `the answer was ready ${-remainingMs} ms after its deadline`, messages: 0 };
  const bridge = proxyActivities<BridgeActivities>({
    taskQueue: session.answers.taskQueue,
    scheduleToCloseTimeout: remainingMs + DELIVERY_GRACE_MS,
    startToCloseTimeout: remainingMs + DELIVERY_GRACE_MS,
    heartbeatTimeout: deliveryHeartbeatTimeoutMs(remainingMs),
    retry: { maximumAttempts: 3, initialInterval: '50ms', backoffCoefficient: 2, nonRetryableErrorTypes: [ErrorType.WrongRobot, ErrorType.BadResult] },
    summary: `deliver turn ${answer.part} to ${session.robot_id}`,
  });
  const delivery: DeliverySpec = { ...session.answers, receivedAt: utterance.closed_at, deliverBy };
  try {
    return await bridge.deliverTurn({ delivery, answer });
  } catch (err) {
    if (isCancellation(err)) throw err;
    const why = err instanceof Error && err.cause instanceof Error ? err.cause.message : String(err);
    return { status: 'undelivered', detail: `no bridge for ${session.robot_id} took the answer before its deadline (${why})`, messages: 0 };
  }
}
