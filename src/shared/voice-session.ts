import type { DeliveryOutcome, DeliverySpec } from './delivery';
import type { TaskPolicy } from './workflow-input';

/** Signal: the front door found an utterance; the session runs it as its next turn. */
export const UTTERANCE_SIGNAL = 'utterance';
/** Signal: the audio stream ended (the robot stopped sending); the session ends once its turn is done. */
export const END_SESSION_SIGNAL = 'endSession';
/** Query: the turns of the current run, oldest first. */
export const TURNS_QUERY = 'turns';

/** The model steps of a turn. */
export type VoiceStepType = 'voice.asr' | 'text.nlu' | 'text.generate' | 'voice.tts';

export interface UtteranceSignalArgs {
  turn_id: string;
  /** The utterance: raw PCM s16le mono at 16 kHz, in the AudioStore (never in history). */
  audio_ref: string;
  duration_ms: number;
  /** End of speech on the sender's clock (seconds). */
  speech_end_ts: number;
  /** When the front door closed the utterance (epoch ms, PC clock): the turn's deadline counts from here. */
  closed_at: number;
}

/** A line of the conversation, the text model's context (roles as in chat APIs). */
export interface ConversationLine {
  role: 'user' | 'assistant';
  content: string;
}

export interface VoiceSessionInput {
  session_id: string;
  robot_id: string;
  /** The session's language (ASR, intents, replies, voice). */
  language: string;
  /** How each model step walks the ladder. */
  policies: Record<VoiceStepType, TaskPolicy>;
  /** Where answers go: the bridge of the robot (task queue and robot id). */
  answers: Pick<DeliverySpec, 'taskQueue' | 'robotId'>;
  turn_deadline_ms: number;
  idle_timeout_ms: number;
  /** Carried over continue-as-new. */
  carried?: { conversation: ConversationLine[]; turns_before: number; pending: UtteranceSignalArgs[] };
}

/** What the robot's voice service takes instead of its own NLU (`apps/voice` of Rider-Pi). */
export interface RobotIntent {
  kind: 'command' | 'chat';
  name: string;
  payload: Record<string, unknown>;
}

export type TurnOutcome = 'answered' | 'no_speech' | 'interrupted' | 'not_understood' | 'failed';

export interface TurnRecord {
  turn_id: string;
  outcome: TurnOutcome;
  text: string;
  language: string;
  intent?: RobotIntent;
  reply?: string;
  /** The reply's audio reached the robot. */
  spoke: boolean;
  detail?: string;
  /** Per step, ms; `to_answer_ms`: from the utterance's close to its answer published. */
  timings: Partial<Record<'asr_ms' | 'nlu_ms' | 'reply_ms' | 'tts_ms' | 'to_answer_ms' | 'total_ms', number>>;
  /** Steps that left their preferred hardware. */
  degraded: string[];
  deliveries: DeliveryOutcome[];
}

export interface VoiceSessionSummary {
  session_id: string;
  turns: number;
  ended: 'idle' | 'stream_ended';
}

/** Reply audio in the AudioStore: a WAV file. */
export interface StoredSpeech {
  audio_ref: string;
  sample_rate: number;
  duration_ms: number;
}

/**
 * One answer of a turn for the robot. `result`: the `voice.asr.result` (transcript, intent, reply,
 * and `tts` when `speech` is given); `speech`: the reply audio alone, as `voice.tts.chunk`s.
 */
export interface TurnAnswer {
  part: 'result' | 'speech';
  turn_id: string;
  session_id: string;
  text: string;
  language: string;
  intent?: RobotIntent;
  command?: string;
  reply: string;
  /** `false`: the robot stays silent (its own TTS too); the audio, if any, comes as chunks. */
  speak: boolean;
  speech?: StoredSpeech;
  speech_end_ts: number;
}

export interface TurnDeliveryInput {
  delivery: DeliverySpec;
  answer: TurnAnswer;
}
