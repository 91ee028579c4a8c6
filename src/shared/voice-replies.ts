/** Intents that are commands the robot's own NLU knows (apps/voice/nlu.py of Rider-Pi: stop, forward, back, left, right). */
const ROBOT_COMMAND_OF: Record<string, string> = {
  stop: 'stop',
  forward: 'forward',
  move_forward: 'forward',
  back: 'back',
  move_backward: 'back',
  left: 'left',
  turn_left: 'left',
  right: 'right',
  turn_right: 'right',
};

/** The robot's command name for an intent; undefined for intents the robot cannot act on. */
export function robotCommandOf(intent: string): string | undefined {
  return ROBOT_COMMAND_OF[intent];
}

const REPLIES: Record<string, Record<string, string>> = {
  pl: { stop: 'Zatrzymuję się.', forward: 'Jadę prosto.', back: 'Cofam się.', left: 'Skręcam w lewo.', right: 'Skręcam w prawo.', greeting: 'Dzień dobry! W czym mogę pomóc?', unknown: 'Przepraszam, nie zrozumiałem.' },
  en: { stop: 'Stopping.', forward: 'Going forward.', back: 'Going back.', left: 'Turning left.', right: 'Turning right.', greeting: 'Hello! How can I help?', unknown: 'Sorry, I did not understand.' },
};

const SYSTEM_PROMPTS: Record<string, string> = {
  pl: 'Jesteś asystentem głosowym Rider-Pi. Odpowiadaj krótko po polsku.',
  en: "You are Rider-Pi's voice assistant. Answer briefly in English.",
};

/** The spoken reply to an intent, in the language (English when the language has none). */
export function replyFor(intent: string, language: string): string {
  const replies = REPLIES[language] ?? REPLIES.en;
  return replies[robotCommandOf(intent) ?? intent] ?? replies.unknown;
}

/** The robot's own chat prompt for its language. */
export function systemPromptFor(language: string): string {
  return SYSTEM_PROMPTS[language] ?? SYSTEM_PROMPTS.en;
}
