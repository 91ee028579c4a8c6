import { readFile } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import type { ESpeakNGWorker } from '@echogarden/espeak-ng-emscripten';
import { resample } from '../audio/resample';
import type { EspeakSpeechInit, EspeakSpeechReply, EspeakSpeechRequest } from './espeak-speech-protocol';

if (!parentPort) throw new Error('espeak-speech-thread.js must run as a worker thread');
const port = parentPort;
const { voice, dataFile, sampleRate } = workerData as EspeakSpeechInit;

function post(reply: EspeakSpeechReply, transfer: ArrayBuffer[] = []): void {
  port.postMessage(reply, transfer);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** espeak-ng compiled to JavaScript (Emscripten; no system package), with the voice data from the model's directory. */
async function startEspeak(): Promise<ESpeakNGWorker> {
  const { default: initialize } = await import('@echogarden/espeak-ng-emscripten');
  const data = await readFile(dataFile);
  const module = await initialize({ getPreloadedPackage: () => data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) });
  const worker = new module.eSpeakNGWorker();
  if (worker.set_voice(voice) !== 0) throw new Error(`espeak-ng has no voice "${voice}"`);
  return worker;
}

function speak(espeak: ESpeakNGWorker, text: string): Float32Array {
  const pieces: Int16Array[] = [];
  espeak.synthesize(text, (samples) => {
    pieces.push(samples);
    return false;
  });
  const audio = new Float32Array(pieces.reduce((sum, piece) => sum + piece.length, 0));
  let offset = 0;
  for (const piece of pieces) {
    for (let i = 0; i < piece.length; i++) audio[offset + i] = piece[i] / 32768;
    offset += piece.length;
  }
  return resample(audio, espeak.samplerate, sampleRate);
}

/** The first calls run before the WebAssembly is fully compiled (several times slower): make them here. */
const WARMUP_TEXTS = ['Dzień dobry, jestem robotem.', 'Zatrzymuję się.', 'Jadę prosto, a potem skręcam w lewo.'];

startEspeak().then(
  (espeak) => {
    for (let round = 0; round < 2; round++) for (const text of WARMUP_TEXTS) speak(espeak, text);
    port.on('message', ({ id, text }: EspeakSpeechRequest) => {
      try {
        const audio = speak(espeak, text);
        post({ kind: 'result', id, value: audio }, [audio.buffer as ArrayBuffer]);
      } catch (error) {
        post({ kind: 'failed', id, message: errorMessage(error) });
      }
    });
    post({ kind: 'ready' });
  },
  (error: unknown) => post({ kind: 'init-failed', message: errorMessage(error) }),
);
