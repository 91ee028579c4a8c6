export { detectObjects } from './detect-objects';
export { generateText } from './generate-text';
export { synthesizeSpeech } from './synthesize-speech';
export { transcribeSpeech } from './transcribe-speech';
export { understandText } from './understand-text';
export { doNothing } from './do-nothing';
export { voiceSession } from './voice-session';
export { realtimeSession } from './realtime-session';
