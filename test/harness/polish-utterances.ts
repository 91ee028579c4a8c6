/** The Polish fixtures in ../shared/fixtures/audio and what espeak-ng (`pl`, 150 wpm) was given to say (../shared/fixtures/README.md). */
export const POLISH_UTTERANCES = [
  { name: 'pl_stop', text: 'Zatrzymaj się.' },
  { name: 'pl_forward', text: 'Jedź prosto do przodu.' },
  { name: 'pl_what_do_you_see', text: 'Co widzisz przed sobą?' },
  { name: 'pl_hello', text: 'Dzień dobry, jak się masz?' },
] as const;
