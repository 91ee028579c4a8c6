import { hasIntentReply, replyFor, robotCommandOf, robotKeywordOf, sharedIntentName, systemPrompt, systemPromptFor, voiceLanguage } from '../../../src/shared/voice-replies';

describe('spoken replies for recognised intents', () => {
  test('Polish and English replies for the robot\'s moves and the chat intents', () => {
    expect(replyFor('stop', 'pl')).toBe('Zatrzymuję się.');
    expect(replyFor('forward', 'pl')).toBe('Jadę prosto.');
    expect(replyFor('greeting', 'pl')).toBe('Dzień dobry! W czym mogę pomóc?');
    expect(replyFor('stop', 'en')).toBe('Stopping.');
    expect(replyFor('left', 'pl-PL')).toBe('Skręcam w lewo.');
  });

  test("the English file's names (move_forward, turn_left…) get the same replies as the shared names", () => {
    expect(replyFor('move_forward', 'pl')).toBe(replyFor('forward', 'pl'));
    expect(replyFor('turn_right', 'en')).toBe('Turning right.');
    expect(sharedIntentName('move_backward')).toBe('back');
    expect(sharedIntentName('greeting')).toBe('greeting');
  });

  test('unknown intents, and intents without a reply, ask to say it again; a language with no replies gets English', () => {
    expect(replyFor('unknown', 'pl')).toBe('Przepraszam, nie zrozumiałem. Możesz powtórzyć?');
    expect(replyFor('order_pizza', 'en')).toBe("Sorry, I didn't understand. Could you say that again?");
    expect(replyFor('stop', 'de')).toBe('Stopping.');
    expect(replyFor('stop', undefined)).toBe('Stopping.');
    expect(hasIntentReply('turn_left')).toBe(true);
    expect(hasIntentReply('unknown')).toBe(false);
    expect(hasIntentReply('order_pizza')).toBe(false);
  });

  test('go_to names the place when there is one', () => {
    expect(replyFor('go_to', 'pl', { place: 'kuchni' })).toBe('Jadę do: kuchni.');
    expect(replyFor('go_to', 'pl')).toBe('Dokąd mam jechać?');
    expect(replyFor('go_to', 'en', { place: 'kitchen' })).toBe('Going to the kitchen.');
  });

  test('every intent of either file has a reply in both languages, and the same calls give the same text', () => {
    const names = ['stop', 'pause', 'quiet', 'forward', 'back', 'left', 'right', 'follow_me', 'come_here', 'go_to', 'greeting', 'how_are_you', 'what_do_you_see', 'who_are_you', 'battery_status', 'thanks', 'goodbye'];
    for (const name of [...names, 'move_forward', 'move_backward', 'turn_left', 'turn_right']) {
      expect(hasIntentReply(name)).toBe(true);
      expect(replyFor(name, 'pl')).not.toBe(replyFor('unknown', 'pl'));
      expect(replyFor(name, 'en')).not.toBe(replyFor('unknown', 'en'));
      expect(replyFor(name, 'pl')).toBe(replyFor(name, 'pl'));
    }
  });
});

describe('what the robot is sent', () => {
  test("the robot's names for its moves (either file's intent names); none for chat intents", () => {
    expect(['stop', 'forward', 'move_forward', 'back', 'move_backward', 'left', 'turn_left', 'right', 'turn_right'].map(robotCommandOf)).toEqual([
      'stop',
      'forward',
      'forward',
      'back',
      'back',
      'left',
      'left',
      'right',
      'right',
    ]);
    expect([robotCommandOf('greeting'), robotCommandOf('pause'), robotCommandOf('unknown')]).toEqual([undefined, undefined, undefined]);
  });

  test("the robot's own voice keywords for stop, pause and quiet", () => {
    expect([robotKeywordOf('stop'), robotKeywordOf('pause'), robotKeywordOf('quiet'), robotKeywordOf('forward')]).toEqual(['stop', 'pauza', 'cisza', undefined]);
  });

  test("the robot's system prompt per language", () => {
    expect(systemPrompt('pl')).toBe('Jesteś asystentem głosowym Rider-Pi. Odpowiadaj krótko po polsku.');
    expect(systemPrompt('en-US')).toMatch(/Answer briefly in English/);
    expect(systemPrompt('de')).toBeUndefined();
    expect(systemPromptFor('pl')).toBe(systemPrompt('pl'));
    expect(systemPromptFor('de')).toBe(systemPrompt('en'));
    expect([voiceLanguage('PL'), voiceLanguage('pl_PL'), voiceLanguage('en-GB'), voiceLanguage('fr'), voiceLanguage(undefined)]).toEqual(['pl', 'pl', 'en', undefined, undefined]);
  });
});
