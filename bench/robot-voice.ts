import { wordErrorRate, wordErrors } from '../src/models/speech-recognition/word-error-rate';
import { percentile } from '../test/harness/percentile';
import { POLISH_UTTERANCES } from '../test/harness/polish-utterances';
import { RobotSimulator } from '../test/harness/robot-simulator';
import { spoken, streamMicrophone, type HeardResult, type MicrophoneLog } from '../test/harness/robot-voice';
import { flag } from './bench-args';
import { startOffloadForRobot } from './npm-start-for-robot';
import { writeResult } from './write-result';

/**
 * The robot's voice path against `npm start` with its defaults (Polish): a simulated robot streams
 * its microphone as 20 ms frames in real time, each Polish fixture said inside silence, `--rounds`
 * times (default 3), waiting for each answer as a person would. Per utterance: end of speech (the
 * last frame of the fixture sent) → its transcript at the robot, and → the first audio of the reply
 * at the robot (the `tts` in the result, or the first `voice.tts.chunk`); the word error rate of the
 * transcripts; whether the robot's 5 s timeout would have fired.
 */
export async function benchRobotVoice(args: string[]): Promise<void> {
  const rounds = Number(flag(args, '--rounds') ?? 3);
  const offload = await startOffloadForRobot('rider-bench');
  let robot: RobotSimulator | undefined;
  try {
    robot = await RobotSimulator.connect(offload.broker);
    // warm-up: one utterance, not counted (first model calls compile and page in)
    const warm = await streamMicrophone(robot, { utterances: [spoken('pl_hello')], leadMs: 1000, gapMs: 0, trailMs: 1000 });
    await warm.waitForResults(1, 120_000).catch(() => undefined);
    warm.stopListening();

    const said = Array.from({ length: rounds }, () => POLISH_UTTERANCES.map((u) => ({ ...spoken(u.name), reference: u.text }))).flat();
    const plan = { utterances: said.map((u, i) => ({ name: `${u.name}#${i}`, pcm: u.pcm })), leadMs: 1000, gapMs: 1500, trailMs: 1500, waitForAnswerMs: 30_000 };
    const log = await streamMicrophone(robot, plan);
    await log.waitForResults(said.length, 60_000).catch(() => undefined);
    await new Promise((done) => setTimeout(done, 2000));
    log.stopListening();

    const turns = matchTurns(log, plan.utterances.map((u) => u.name));
    const toText = turns.map((t) => t.textMs).filter((ms): ms is number => ms !== undefined);
    const toAudio = turns.map((t) => t.audioMs).filter((ms): ms is number => ms !== undefined);
    const pairs = turns.map((t, i) => ({ reference: said[i].reference, hypothesis: t.heard?.text ?? '' }));
    const figures = {
      utterances: said.length,
      transcribed: turns.filter((t) => t.heard).length,
      end_of_speech_to_transcript_p50_ms: percentile(toText, 50),
      end_of_speech_to_transcript_p95_ms: percentile(toText, 95),
      end_of_speech_to_first_audio_p50_ms: percentile(toAudio, 50),
      end_of_speech_to_first_audio_p95_ms: percentile(toAudio, 95),
      transcripts_within_robot_5s: toText.filter((ms) => ms <= 5000).length,
      word_error_rate: Math.round(wordErrorRate(pairs) * 1000) / 1000,
      robot_fell_back: log.fellBackAt === undefined ? 'no' : 'yes',
      longest_wait_between_transcripts_ms: longestWait(log),
      rounds,
    };
    writeResult('robot-voice', figures, {
      per_utterance: turns.map((t, i) => ({
        said: said[i].reference,
        heard: t.heard?.text ?? null,
        intent: t.heard?.intent ?? t.heard?.command ?? null,
        reply: t.heard?.reply ?? null,
        wer: Math.round((wordErrors(said[i].reference, t.heard?.text ?? '').errors / Math.max(1, wordErrors(said[i].reference, '').words)) * 1000) / 1000,
        to_transcript_ms: t.textMs ?? null,
        to_first_audio_ms: t.audioMs ?? null,
      })),
      topology: 'npm start with its defaults (OFFLOAD_ROBOT_LANGUAGE=pl: whisper-base, Polish intents, espeak-ng pl) + a robot broker (XSUB->XPUB) and a simulated robot, all on this machine',
      method: 'fixtures/audio/pl_*.s16le.pcm streamed as 20 ms voice.asr.request frames in real time between 1.5 s silences; end of speech = the fixture\'s last frame sent (endpointing adds OFFLOAD_VOICE_SILENCE_MS, 500 ms, of silence before a turn starts)',
      goal: 'a non-empty transcript within 5 s of the end of speech (the robot\'s VOICE_OFFLOAD_RESULT_TIMEOUT)',
      robot_timeout: 'the robot leaves pc voice mode after 5 s without a non-empty transcript, counted from the last one: the user\'s pause and the time spent speaking count too, so with 1.5 s pauses and 2 s sentences it fires whatever the PC does (longest_wait_between_transcripts_ms)',
    });
  } finally {
    await robot?.close();
    await offload.stop();
  }
}

interface TurnTiming {
  heard?: HeardResult;
  textMs?: number;
  audioMs?: number;
}

/** The first non-empty result after each utterance's end (before the next one's end), and its first audio. */
function matchTurns(log: MicrophoneLog, names: string[]): TurnTiming[] {
  return names.map((name, i) => {
    const end = log.speechEndAt.get(name) as number;
    const next = log.speechEndAt.get(names[i + 1] ?? '') ?? Infinity;
    const heard = log.results.find((r) => r.message.at > end && r.message.at < next);
    if (!heard) return {};
    const turnId = heard.message.payload.task_id;
    const chunk = log.chunks.find((c) => c.message.payload.task_id === turnId && c.played);
    const audioAt = heard.tts ? heard.message.at : chunk?.message.at;
    return { heard, textMs: Math.round(heard.message.at - end), ...(audioAt !== undefined ? { audioMs: Math.round(audioAt - end) } : {}) };
  });
}

/** The robot's 5 s timer runs from one non-empty transcript to the next (from the stream's start for the first): its longest run. */
function longestWait(log: MicrophoneLog): number {
  const times = [log.startedAt, ...log.results.map((r) => r.message.at)];
  return Math.round(Math.max(...times.slice(1).map((at, i) => at - times[i])));
}

