export interface TranscriptionResult {
  text: string;
  language: string;
  confidence: number;
  /** True when the audio holds no speech (VAD or Whisper's no-speech rule); `text` is then empty. */
  no_speech?: boolean;
}

export interface SpeechResult {
  /** The WAV file, base64; empty when it went to the AudioStore (`audio_ref`). */
  audio_base64: string;
  audio_ref?: string;
  format: 'wav';
  sample_rate: number;
  duration_ms: number;
  /** Where each synthesized piece (a sentence) lies in the WAV's samples, in order: lets a consumer stream it chunk by chunk. */
  chunks?: SpeechChunkInfo[];
}

export interface SpeechChunkInfo {
  seq: number;
  /** The text this chunk speaks. */
  text: string;
  /** Offset of the chunk's first sample in the WAV's PCM data. */
  start_sample: number;
  /** Number of samples (mono s16le), including the pause before every sentence but the first. */
  samples: number;
  duration_ms: number;
}

export interface GenerationResult {
  text: string;
  tokens_used: number;
  from_cache: boolean;
}

export interface UnderstandingResult {
  /** The intent's name in the intents file of `language` (`unknown` below its threshold). */
  intent: string;
  /** 1 for a keyword rule; else the mean cosine of the intent's nearest examples. */
  confidence: number;
  entities: Record<string, string>;
  /** The language classified in (`en`, `pl`). */
  language?: string;
  /** `keyword`: one of the intent's keyword rules matched; `examples`: nearest labelled examples by embedding. */
  matched_by?: 'keyword' | 'examples';
}
