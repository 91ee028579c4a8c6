/**
 * What the PC says back for a recognised intent, in the robot's language: pure and deterministic
 * (no I/O, no Node APIs), so workflow code can import it. The voice engine speaks these when it has
 * no text model for the language (LanguageNotSupported) or when the intent is a command.
 */

/** Languages the robot's voice is served in. */
export type VoiceLanguage = 'pl' | 'en';

/** The robot's own intent names for its moves (its NLU: stop, forward, back, left, right). */
export type RobotMove = 'stop' | 'forward' | 'back' | 'left' | 'right';

/** The robot's chat system prompt (its config/voice.toml), per language. */
export const SYSTEM_PROMPTS: Readonly<Record<VoiceLanguage, string>> = {
  pl: 'Jesteś asystentem głosowym Rider-Pi. Odpowiadaj krótko po polsku.',
  en: "You are Rider-Pi's voice assistant. Answer briefly in English.",
};

/** English intents file names (config/intents.json) → the names both languages share (config/intents.pl.json uses these). */
const SHARED_NAMES: Readonly<Record<string, string>> = {
  move_forward: 'forward',
  move_backward: 'back',
  turn_left: 'left',
  turn_right: 'right',
};

const ROBOT_MOVES: ReadonlySet<string> = new Set<RobotMove>(['stop', 'forward', 'back', 'left', 'right']);

/** The robot's own command keywords (stop, pauza, cisza) for the intents that stop it moving or talking. */
const ROBOT_COMMANDS: Readonly<Record<string, string>> = { stop: 'stop', pause: 'pauza', quiet: 'cisza' };

type Reply = string | ((entities: Record<string, string>) => string);

const REPLIES: Readonly<Record<VoiceLanguage, Readonly<Record<string, Reply>>>> = {
  pl: {
    stop: 'Zatrzymuję się.',
    pause: 'Robię przerwę.',
    quiet: 'Dobrze, już nic nie mówię.',
    forward: 'Jadę prosto.',
    back: 'Cofam się.',
    left: 'Skręcam w lewo.',
    right: 'Skręcam w prawo.',
    follow_me: 'Dobrze, jadę za tobą.',
    come_here: 'Już do ciebie jadę.',
    go_to: (e) => (e.place ? `Jadę do: ${e.place}.` : 'Dokąd mam jechać?'),
    greeting: 'Dzień dobry! W czym mogę pomóc?',
    how_are_you: 'Dziękuję, wszystko działa. A jak ty się masz?',
    what_do_you_see: 'Już patrzę, co jest przede mną.',
    who_are_you: 'Jestem Rider-Pi, robot na kółkach.',
    battery_status: 'Sprawdzam stan baterii.',
    thanks: 'Proszę bardzo!',
    goodbye: 'Do widzenia!',
    unknown: 'Przepraszam, nie zrozumiałem. Możesz powtórzyć?',
  },
  en: {
    stop: 'Stopping.',
    pause: 'Pausing.',
    quiet: "Okay, I'll be quiet.",
    forward: 'Going straight ahead.',
    back: 'Backing up.',
    left: 'Turning left.',
    right: 'Turning right.',
    follow_me: "Okay, I'm following you.",
    come_here: "I'm coming to you.",
    go_to: (e) => (e.place ? `Going to the ${e.place}.` : 'Where should I go?'),
    greeting: 'Hello! How can I help?',
    how_are_you: "Thanks, everything works. How are you?",
    what_do_you_see: "Let me look at what's in front of me.",
    who_are_you: "I'm Rider-Pi, a robot on wheels.",
    battery_status: "I'm checking the battery.",
    thanks: "You're welcome!",
    goodbye: 'Goodbye!',
    unknown: "Sorry, I didn't understand. Could you say that again?",
  },
};

/** `pl`, `pl-PL`, `pl_PL`, `PL` → `pl`; `en…` → `en`; anything else (or nothing) → undefined. */
export function voiceLanguage(language: string | undefined): VoiceLanguage | undefined {
  const code = language?.trim().toLowerCase().split(/[_-]/)[0];
  return code === 'pl' || code === 'en' ? code : undefined;
}

/** An intent's name shared by both languages: the English file's `move_forward` is `forward`, as in the Polish file and the robot. */
export function sharedIntentName(intent: string): string {
  return SHARED_NAMES[intent] ?? intent;
}

/** The robot's system prompt in `language` (`pl`, `en`), or undefined for another language. */
export function systemPrompt(language: string | undefined): string | undefined {
  const lang = voiceLanguage(language);
  return lang ? SYSTEM_PROMPTS[lang] : undefined;
}

/** The robot's own chat prompt for its language (English for a language it has none in). */
export function systemPromptFor(language: string): string {
  return systemPrompt(language) ?? SYSTEM_PROMPTS.en;
}

/**
 * The spoken reply for a recognised intent (either language's intent names) in `language` (English
 * when it is neither `pl` nor `en`); an intent without a reply of its own (and `unknown`) gets the
 * "say that again" reply. `entities` fill in `go_to`'s place.
 */
export function replyFor(intent: string, language: string | undefined, entities: Record<string, string> = {}): string {
  const replies = REPLIES[voiceLanguage(language) ?? 'en'];
  const reply = replies[sharedIntentName(intent)] ?? replies.unknown;
  return typeof reply === 'string' ? reply : reply(entities);
}

/** True when the intent has a reply of its own (not the "say that again" one). */
export function hasIntentReply(intent: string): boolean {
  const name = sharedIntentName(intent);
  return name !== 'unknown' && name in REPLIES.pl;
}

/** The robot's name for one of its moves (`move_forward` and `forward` → `forward`); undefined for intents the robot cannot act on. */
export function robotCommandOf(intent: string): RobotMove | undefined {
  const name = sharedIntentName(intent);
  return ROBOT_MOVES.has(name) ? (name as RobotMove) : undefined;
}

/** The robot's own voice keyword (`stop`, `pauza`, `cisza`) for stop, pause and quiet: a `command` its voice service knows; else undefined. */
export function robotKeywordOf(intent: string): string | undefined {
  return ROBOT_COMMANDS[sharedIntentName(intent)];
}
