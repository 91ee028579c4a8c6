import { condition, isCancellation } from '@temporalio/workflow';
import { apologyFor } from '../shared/realtime-apology';
import type { CancelResponseArgs, EngineEvent, RealtimeItem, RealtimeResponseRecord, RealtimeSessionInput, RealtimeTurnSettings } from '../shared/realtime-session';
import { allSentences } from '../shared/sentences';
import type { PayloadByTaskType } from '../shared/task';
import { DEFAULT_PRIORITY } from '../shared/task-types';
import type { VoiceStepType } from '../shared/voice-session';
import type { TaskWorkflowInput } from '../shared/workflow-input';
import type { ConversationItems } from './realtime-items';
import { runOnLadder, type ModelActivityName, type TaskTypeOf } from './run-on-ladder';

/** A reply with no `max_output_tokens` limit still ends: the small local models ramble. */
const DEFAULT_MAX_TOKENS = 256;
const CONTEXT_ITEMS = 12;

export interface SessionParts {
  input: RealtimeSessionInput;
  items: ConversationItems;
  emit(event: EngineEvent): void;
}

/** A model step of a session, on its hardware ladder. */
export function runStep<A extends ModelActivityName>(parts: SessionParts, taskId: string, type: TaskTypeOf<A> & VoiceStepType, activity: A, payload: PayloadByTaskType[TaskTypeOf<A>]) {
  const policy = parts.input.policies[type];
  const input: TaskWorkflowInput<TaskTypeOf<A>> = {
    envelope: { task_id: taskId, task_type: type, payload, meta: { source: 'realtime-session', session_id: parts.input.session_id, tenant: parts.input.tenant }, priority: DEFAULT_PRIORITY[type] },
    policy,
  };
  return runOnLadder(input, activity, { startedAt: Date.now(), recordOnRun: false });
}

/** ASR of a committed buffer: the item gets its transcript, or is marked failed; the client is told either way. */
export async function transcribe(parts: SessionParts, item: RealtimeItem, language: string, durationMs: number): Promise<void> {
  const asr = await runStep(parts, `${parts.input.session_id}.${item.id}.asr`, 'voice.asr', 'runAsrModel', { audio_ref: item.audio_ref ?? '', format: 'pcm_s16le', sample_rate: 16000, language });
  if (asr.result) {
    item.text = asr.result.text.trim();
    item.transcription = 'completed';
    parts.emit({ type: 'item.transcribed', item_id: item.id, transcript: item.text, audio_seconds: durationMs / 1000 });
  } else {
    item.transcription = 'failed';
    parts.emit({ type: 'item.transcription_failed', item_id: item.id, error: { code: 'transcription_unavailable', message: asr.error ?? 'speech recognition could not be served on any hardware' } });
  }
}

/**
 * One response: the conversation (transcripts waited for) → the text model → speech per sentence.
 * Degrades instead of failing: no text model → a spoken apology that repeats what was heard; no
 * TTS → the rest of the response as text only. Cancelled (barge-in, `response.cancel`) → `cancelled`,
 * the assistant item cut to the audio the client got.
 */
export async function runResponse(parts: SessionParts, record: RealtimeResponseRecord, settings: RealtimeTurnSettings, item: RealtimeItem | undefined, inputIds: string[] | undefined): Promise<void> {
  try {
    await condition(() => parts.items.transcribing(inputIds).length === 0);
    const lines = contextOf(parts.items, item?.id, inputIds);
    const lastUser = lines.map((l) => l.role).lastIndexOf('user');
    const prompt = lastUser >= 0 ? lines[lastUser].content : '';
    const context = lastUser >= 0 ? lines.slice(0, lastUser) : lines;
    const maxTokens = settings.max_output_tokens === 'inf' ? DEFAULT_MAX_TOKENS : Math.min(settings.max_output_tokens, DEFAULT_MAX_TOKENS);
    const base = `${parts.input.session_id}.${record.response_id}`;
    const generated = await runStep(parts, `${base}.gen`, 'text.generate', 'runTextModel', {
      prompt,
      context: context.slice(-CONTEXT_ITEMS),
      max_tokens: maxTokens,
      language: settings.language,
      ...(settings.instructions ? { system_prompt: settings.instructions } : {}),
    });
    let text = generated.result?.text.trim() ?? '';
    if (!text) {
      record.degraded.push('text.generate: apology');
      text = apologyFor(settings.language, prompt);
    }
    record.usage = { input_tokens: 0, output_tokens: generated.result?.tokens_used ?? 0 };
    let speaking = record.output_modalities.includes('audio');
    for (const [index, sentence] of allSentences(text).entries()) {
      const part = { index, text: sentence } as RealtimeResponseRecord['parts'][number];
      if (speaking) {
        const tts = await runStep(parts, `${base}.tts${index}`, 'voice.tts', 'runTtsModel', { text: sentence, language: settings.language, store_audio: true, ...(settings.voice ? { voice: settings.voice } : {}) });
        const audio = tts.result;
        if (audio?.audio_ref) part.audio = { audio_ref: audio.audio_ref, sample_rate: audio.sample_rate, duration_ms: audio.duration_ms };
        else {
          speaking = false;
          record.degraded.push('voice.tts: text only');
          record.output_modalities = ['text'];
          parts.emit({ type: 'response.degraded', response_id: record.response_id, step: 'voice.tts', output_modalities: ['text'] });
        }
      }
      record.parts.push(part);
      if (item) item.text = record.parts.map((p) => p.text).join(' ');
    }
    record.status = 'completed';
    if (item) {
      item.status = 'completed';
      item.content_type = speaking ? 'output_audio' : 'output_text';
      if (speaking) item.audio_ms = record.parts.reduce((ms, p) => ms + (p.audio?.duration_ms ?? 0), 0);
    }
  } catch (err) {
    if (!isCancellation(err)) {
      record.status = 'failed';
      record.status_details = { error: { type: 'server_error', code: 'response_failed', message: err instanceof Error ? err.message : String(err) } };
      if (item) item.status = 'incomplete';
      return;
    }
    throw err;
  }
}

/** A cancelled response: its record and item cut to what the client heard. */
export function markCancelled(record: RealtimeResponseRecord, item: RealtimeItem | undefined, cancel: CancelResponseArgs): void {
  record.status = 'cancelled';
  record.status_details = { reason: cancel.reason };
  if (!item) return;
  item.status = 'incomplete';
  if (cancel.audio_sent_ms !== undefined) truncateTo(record, item, cancel.audio_sent_ms);
}

/** Keeps the sentences whose audio started before `audioEndMs`; the item's text and length follow. */
export function truncateTo(record: RealtimeResponseRecord, item: RealtimeItem, audioEndMs: number): void {
  let startMs = 0;
  record.parts = record.parts.filter((p) => {
    const kept = startMs < audioEndMs;
    startMs += p.audio?.duration_ms ?? 0;
    return kept;
  });
  item.text = record.parts.map((p) => p.text).join(' ');
  item.audio_ms = Math.min(item.audio_ms ?? audioEndMs, audioEndMs);
}

function contextOf(items: ConversationItems, before: string | undefined, inputIds: string[] | undefined): Array<{ role: 'user' | 'assistant' | 'system'; content: string }> {
  const end = before ? items.list.findIndex((i) => i.id === before) : items.list.length;
  const chosen = inputIds ? items.list.filter((i) => inputIds.includes(i.id)) : items.list.slice(0, end < 0 ? items.list.length : end);
  return chosen.filter((i) => i.text && i.transcription !== 'failed').map((i) => ({ role: i.role, content: i.text }));
}
