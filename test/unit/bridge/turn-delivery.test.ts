import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createBridgeActivities } from '../../../src/bridge/bridge-activities';
import { testBridgeDeps } from '../../harness/bridge-activity-deps';
import { encodeWav } from '../../../src/models/audio';
import type { DeliveryOutcome } from '../../../src/shared/delivery';
import type { TurnDeliveryInput } from '../../../src/shared/voice-session';
import type { AudioStore } from '../../../src/voice/audio-store';
import { waitUntil } from '../../harness/poll-until';

const NOW = 1_000_000;

/** A bridge whose AudioStore answers only when the test lets it: an attempt stays in the middle of its delivery. */
function slowAudioBridge() {
  const published: unknown[] = [];
  let release: () => void = () => undefined;
  const audioRead = new Promise<void>((resolve) => (release = resolve));
  let heartbeats = 0;
  const wav = Buffer.from(encodeWav(new Int16Array(16_000), 16_000));
  const audioStore: AudioStore = { put: async () => 'ref', get: async () => (await audioRead, wav) };
  const activities = createBridgeActivities(testBridgeDeps(published, NOW, { audioStore, heartbeat: () => void (heartbeats += 1) }));
  const env = new MockActivityEnvironment({ activityType: 'deliverTurn' }, { logger: new DefaultLogger('ERROR', () => undefined) });
  return { deliver: (input: TurnDeliveryInput): Promise<DeliveryOutcome> => env.run(activities.deliverTurn, input), release, published, heartbeats: () => heartbeats };
}

const turn: TurnDeliveryInput = {
  delivery: { taskQueue: 'q', robotId: 'rider-1', receivedAt: NOW - 150, deliverBy: NOW + 1000 },
  answer: {
    part: 'result',
    turn_id: 'turn-1',
    session_id: 's',
    text: 'hello',
    language: 'en',
    reply: 'Hi!',
    speak: true,
    speech: { audio_ref: 'ref', sample_rate: 16_000, duration_ms: 1000 },
    speech_end_ts: NOW - 500,
  },
};

test('two attempts of one turn answer overlapping (the first timed out while it read the audio) publish it once', async () => {
  const t = slowAudioBridge();
  const first = t.deliver(turn);
  const second = t.deliver(turn);
  t.release();
  const outcomes = await Promise.all([first, second]);
  expect(outcomes.map((o) => [o.status, o.duplicate === true])).toEqual([['delivered', false], ['delivered', true]]);
  expect(t.published).toHaveLength(1);
});

test('an attempt heartbeats while it waits for the reply audio, so a busy bridge keeps its attempt', async () => {
  const t = slowAudioBridge();
  const attempt = t.deliver(turn);
  try {
    await waitUntil('a heartbeat from the attempt waiting for audio', () => t.heartbeats() > 0, 10_000);
  } finally {
    t.release();
  }
  await expect(attempt).resolves.toMatchObject({ status: 'delivered' });
});
