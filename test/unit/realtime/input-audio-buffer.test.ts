import { InputAudioBuffer, MIN_COMMIT_MS, type BufferEvent, type InputAudioBufferOptions } from '../../../src/api/realtime/input-audio-buffer';
import { encodeWireAudio, type WireAudioFormat } from '../../../src/voice/audio-codec';

const WINDOW = 512;
const WINDOW_MS = 32;
const endpointing = { threshold: 0.5, silenceMs: 320, prefixPaddingMs: 96, minSpeechMs: 96, maxUtteranceMs: 3200 };

function buffer(options: Partial<InputAudioBufferOptions> = {}): InputAudioBuffer {
  let n = 0;
  return new InputAudioBuffer({ format: 'audio/pcm', endpointing: null, windowSamples: WINDOW, newItemId: () => `item_${++n}`, ...options });
}

/** `ms` of a quiet tone on the wire in `format`. */
function wire(ms: number, format: WireAudioFormat = 'audio/pcm'): Uint8Array {
  const rate = format === 'audio/pcm' ? 24_000 : 8_000;
  return encodeWireAudio(format, Float32Array.from({ length: (rate * ms) / 1000 }, (_, i) => 0.1 * Math.sin(i / 3)));
}

/** Scores every window the buffer hands out with the next probability; the events in order. */
function score(b: InputAudioBuffer, probabilities: number[]): BufferEvent[] {
  const windows = b.windows();
  expect(windows.length).toBeGreaterThanOrEqual(probabilities.length);
  return probabilities.flatMap((p, i) => b.scored(windows[i], p));
}

describe('manual commit (turn detection off)', () => {
  test(`less than ${MIN_COMMIT_MS} ms is input_audio_buffer_commit_empty, with the client's event id; the audio stays`, () => {
    const b = buffer();
    expect(b.commit('evt_1')).toEqual({
      error: expect.objectContaining({ type: 'invalid_request_error', code: 'input_audio_buffer_commit_empty', event_id: 'evt_1', message: expect.stringContaining('buffer only has 0.00ms of audio') }),
    });
    b.append(wire(60));
    expect(b.commit()).toMatchObject({ error: { code: 'input_audio_buffer_commit_empty', message: expect.stringContaining('60.00ms') } });
    b.append(wire(40));
    const result = b.commit();
    expect(result).toMatchObject({ audio: { itemId: 'item_1', audioStartMs: 0, audioEndMs: 100 } });
    expect('audio' in result && result.audio.samples).toHaveLength(1600);
    expect(b.bufferedMs).toBe(0);
  });

  test('offsets count all audio the session was sent: across commits and clears', () => {
    const b = buffer();
    b.append(wire(200));
    b.commit();
    b.append(wire(300));
    b.clear();
    expect(b.bufferedMs).toBe(0);
    b.append(wire(120));
    expect(b.commit()).toMatchObject({ audio: { itemId: 'item_2', audioStartMs: 500, audioEndMs: 620 } });
    expect(b.writtenMs).toBe(620);
  });

  test('a pcm16 sample split across two appends is joined, not lost', () => {
    const bytes = wire(100);
    const b = buffer();
    b.append(bytes.subarray(0, 2401));
    b.append(bytes.subarray(2401));
    expect(b.bufferedMs).toBe(100);
  });

  test('G.711 input: 8 bytes a millisecond', () => {
    const b = buffer({ format: 'audio/pcmu' });
    b.append(wire(100, 'audio/pcmu'));
    expect(b.bufferedMs).toBe(100);
    b.reconfigure({ format: 'audio/pcma' });
    b.append(wire(50, 'audio/pcma'));
    expect(b.commit()).toMatchObject({ audio: { audioStartMs: 0, audioEndMs: 150 } });
  });

  test('no server VAD: no windows to score', () => {
    const b = buffer();
    b.append(wire(500));
    expect(b.windows()).toEqual([]);
  });
});

describe('server VAD', () => {
  const speechBetweenSilences = [...Array(10).fill(0.01), ...Array(8).fill(0.9), ...Array(12).fill(0.01)];

  test('the events of one utterance, with the offsets the API gives them', () => {
    const b = buffer({ endpointing });
    b.append(wire(1000));
    const events = score(b, speechBetweenSilences);
    expect(events.map((e) => e.type)).toEqual(['speech_started', 'speech_stopped', 'committed']);
    // 96 ms of padding: 3 windows before the first speech window
    expect(events[0]).toEqual({ type: 'speech_started', itemId: 'item_1', audioStartMs: (10 - 3) * WINDOW_MS });
    // 10 windows (320 ms) of silence after the 8 speech windows end it
    expect(events[1]).toEqual({ type: 'speech_stopped', itemId: 'item_1', audioEndMs: 28 * WINDOW_MS });
    const committed = events[2].type === 'committed' ? events[2].audio : undefined;
    expect(committed).toMatchObject({ itemId: 'item_1', audioStartMs: 7 * WINDOW_MS });
    // padding + speech + the 200 ms the endpointer keeps after speech
    expect(committed?.samples).toHaveLength((3 + 8) * WINDOW + 3200);
    expect(committed?.audioEndMs).toBe(7 * WINDOW_MS + 11 * WINDOW_MS + 200);
    // what was scored is gone from the buffer; the rest stays
    expect(b.bufferedMs).toBe(1000 - 28 * WINDOW_MS);
  });

  test('windows are handed out once each, across appends', () => {
    const b = buffer({ endpointing });
    b.append(wire(50));
    expect(b.windows()).toHaveLength(1);
    b.append(wire(50));
    expect(b.windows()).toHaveLength(2);
    expect(b.windows()).toHaveLength(0);
  });

  test('a click shorter than minSpeechMs: started and stopped, nothing committed', () => {
    const b = buffer({ endpointing });
    b.append(wire(1000));
    const events = score(b, [0.01, 0.9, 0.9, ...Array(12).fill(0.01)]);
    expect(events.map((e) => e.type)).toEqual(['speech_started', 'speech_stopped']);
  });

  test('a client commit while speech is open takes the speech`s item id; no speech_stopped follows', () => {
    const b = buffer({ endpointing });
    b.append(wire(600));
    const started = score(b, [...Array(5).fill(0.01), ...Array(6).fill(0.9)]);
    expect(started).toEqual([{ type: 'speech_started', itemId: 'item_1', audioStartMs: 2 * WINDOW_MS }]);
    expect(b.commit()).toMatchObject({ audio: { itemId: 'item_1', audioStartMs: 0, audioEndMs: 600 } });
    b.append(wire(600));
    expect(score(b, Array(15).fill(0.01))).toEqual([]);
  });

  test('after a clear the endpointer starts again, its offsets still from the session`s first audio', () => {
    const b = buffer({ endpointing });
    b.append(wire(320));
    score(b, Array(10).fill(0.01));
    b.clear();
    b.append(wire(1000));
    const events = score(b, speechBetweenSilences);
    expect(events[0]).toMatchObject({ type: 'speech_started', audioStartMs: 320 + 7 * WINDOW_MS });
  });

  test('turn detection turned off: no more windows; turned on: scoring starts at the audio that comes next', () => {
    const b = buffer({ endpointing });
    b.reconfigure({ endpointing: null });
    b.append(wire(200));
    expect(b.windows()).toEqual([]);
    b.reconfigure({ endpointing });
    expect(b.windows()).toEqual([]);
    b.append(wire(64));
    expect(b.windows()).toHaveLength(2);
  });
});
