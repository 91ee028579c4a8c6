/** Topics the robot publishes for the PC (the bridge subscribes to exactly these prefixes). */
export const REQUEST_TOPICS = {
  frame: 'vision.frame.offload',
  asr: 'voice.asr.request',
  tts: 'voice.tts.request',
} as const;
export type RequestTopic = (typeof REQUEST_TOPICS)[keyof typeof REQUEST_TOPICS];

/** Topics the PC publishes for the robot. */
export const RESULT_TOPICS = {
  obstacle: 'vision.obstacle.enhanced',
  asr: 'voice.asr.result',
  ttsChunk: 'voice.tts.chunk',
} as const;

export const SUBSCRIBED_TOPICS: readonly RequestTopic[] = Object.values(REQUEST_TOPICS);

export function isRequestTopic(topic: string): topic is RequestTopic {
  return (SUBSCRIBED_TOPICS as readonly string[]).includes(topic);
}
