export interface TranscriptionResult {
  text: string;
  language: string;
  confidence: number;
}

export interface SpeechResult {
  audio_base64: string;
  format: 'wav';
  sample_rate: number;
  duration_ms: number;
}

export interface GenerationResult {
  text: string;
  tokens_used: number;
  from_cache: boolean;
}

export interface UnderstandingResult {
  intent: string;
  confidence: number;
  entities: Record<string, string>;
}
