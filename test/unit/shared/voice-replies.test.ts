import { hasIntentReply, intentReply, robotCommand, robotIntent, sharedIntentName, systemPrompt, voiceLanguage } from '../../../src/shared/voice-replies';

describe('spoken replies for recognised intents', () => {
  test('Polish and English replies for the robot\'s moves and the chat intents', () => {
    expect(intentReply('stop', 'pl')).toBe('Zatrzymuję się.');
    expect(intentReply('forward', 'pl')).toBe('Jadę prosto.');
    expect(intentReply('greeting', 'pl')).toBe('Dzień dobry! W czym mogę pomóc?');
    expect(intentReply('stop', 'en')).toBe('Stopping.');
    expect(intentReply('left', 'pl-PL')).toBe('Skręcam w lewo.');
  });

  test("the English file's names (move_forward, turn_left…) get the same replies as the shared names", () => {
    expect(intentReply('move_forward', 'pl')).toBe(intentReply('forward', 'pl'));
    expect(intentReply('turn_right', 'en')).toBe('Turning right.');
    expect(sharedIntentName('move_backward')).toBe('back');
    expect(sharedIntentName('greeting')).toBe('greeting');
  });

  test('unknown intents, and intents without a reply, ask to say it again; the language defaults to the robot\'s Polish', () => {
    expect(intentReply('unknown', 'pl')).toBe('Przepraszam, nie zrozumiałem. Możesz powtórzyć?');
    expect(intentReply('order_pizza', 'en')).toBe("Sorry, I didn't understand. Could you say that again?");
    expect(intentReply('stop', 'de')).toBe('Zatrzymuję się.');
    expect(intentReply('stop', undefined)).toBe('Zatrzymuję się.');
    expect(hasIntentReply('turn_left')).toBe(true);
    expect(hasIntentReply('unknown')).toBe(false);
    expect(hasIntentReply('order_pizza')).toBe(false);
  });

  test('go_to names the place when there is one', () => {
    expect(intentReply('go_to', 'pl', { place: 'kuchni' })).toBe('Jadę do: kuchni.');
    expect(intentReply('go_to', 'pl')).toBe('Dokąd mam jechać?');
    expect(intentReply('go_to', 'en', { place: 'kitchen' })).toBe('Going to the kitchen.');
  });

  test('every intent of either file has a reply in both languages, and the same calls give the same text', () => {
    const names = ['stop', 'pause', 'quiet', 'forward', 'back', 'left', 'right', 'follow_me', 'come_here', 'go_to', 'greeting', 'how_are_you', 'what_do_you_see', 'who_are_you', 'battery_status', 'thanks', 'goodbye'];
    for (const name of [...names, 'move_forward', 'move_backward', 'turn_left', 'turn_right']) {
      expect(hasIntentReply(name)).toBe(true);
      expect(intentReply(name, 'pl')).not.toBe(intentReply('unknown', 'pl'));
      expect(intentReply(name, 'en')).not.toBe(intentReply('unknown', 'en'));
      expect(intentReply(name, 'pl')).toBe(intentReply(name, 'pl'));
    }
  });
});

describe('what the robot is sent', () => {
  test("the robot's intent for its moves, with the entities as payload; none for chat intents", () => {
    expect(robotIntent('stop')).toEqual({ kind: 'command', name: 'stop', payload: {} });
    expect(robotIntent('move_forward', { distance: '2', unit: 'm' })).toEqual({ kind: 'command', name: 'forward', payload: { distance: '2', unit: 'm' } });
    expect(robotIntent('turn_left')?.name).toBe('left');
    expect(robotIntent('back')?.name).toBe('back');
    expect(robotIntent('greeting')).toBeUndefined();
    expect(robotIntent('unknown')).toBeUndefined();
  });

  test("the robot's own command keywords for stop, pause and quiet", () => {
    expect([robotCommand('stop'), robotCommand('pause'), robotCommand('quiet'), robotCommand('forward')]).toEqual(['stop', 'pauza', 'cisza', undefined]);
  });

  test("the robot's system prompt per language", () => {
    expect(systemPrompt('pl')).toBe('Jesteś asystentem głosowym Rider-Pi. Odpowiadaj krótko po polsku.');
    expect(systemPrompt('en-US')).toMatch(/Answer briefly in English/);
    expect(systemPrompt('de')).toBeUndefined();
    expect([voiceLanguage('PL'), voiceLanguage('pl_PL'), voiceLanguage('en-GB'), voiceLanguage('fr'), voiceLanguage(undefined)]).toEqual(['pl', 'pl', 'en', undefined, undefined]);
  });
});
