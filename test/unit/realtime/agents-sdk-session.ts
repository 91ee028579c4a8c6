/** What @openai/agents-realtime 0.20's OpenAIRealtimeWebSocket sends in its first `session.update` with its defaults (read from its dist). */
export const AGENTS_SDK_SESSION = {
  type: 'realtime',
  instructions: 'Be brief.',
  model: 'gpt-realtime-2.1',
  output_modalities: ['audio'],
  audio: {
    input: { format: { type: 'audio/pcm', rate: 24000 }, noise_reduction: null, transcription: { model: 'gpt-4o-mini-transcribe' }, turn_detection: { type: 'semantic_vad' } },
    output: { format: { type: 'audio/pcm', rate: 24000 }, speed: 1 },
  },
  tool_choice: 'auto',
};
