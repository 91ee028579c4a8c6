import { parentPort, workerData } from 'node:worker_threads';
import type { EspeakReply, EspeakRequest, EspeakThreadInit } from './espeak-protocol';
import { ipaBackend, type IpaBackend } from './ipa-backends';

if (!parentPort) throw new Error('espeak-thread.js must run as a worker thread');
const port = parentPort;
const { language } = workerData as EspeakThreadInit;

function post(reply: EspeakReply): void {
  port.postMessage(reply);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** espeak-ng may break one clause into several lines (after `Dr.` for instance): they are one clause here. */
async function phonemizeClause(phonemize: IpaBackend, text: string): Promise<string> {
  return (await phonemize(text)).join(' ');
}

async function handle(phonemize: IpaBackend, { id, clauses }: EspeakRequest): Promise<void> {
  try {
    const phonemes: string[] = [];
    for (const clause of clauses) phonemes.push(await phonemizeClause(phonemize, clause));
    post({ kind: 'result', id, value: phonemes });
  } catch (error) {
    post({ kind: 'failed', id, message: errorMessage(error) });
  }
}

/** The first calls run espeak-ng's WebAssembly before it is fully compiled (several times slower): make them here. */
const WARMUP_CLAUSES = ['Hello world', 'the quick brown fox jumps over the lazy dog', 'I am the robot'];

async function start(): Promise<IpaBackend> {
  const phonemize = await ipaBackend(language);
  for (let round = 0; round < 2; round++) for (const clause of WARMUP_CLAUSES) await phonemizeClause(phonemize, clause);
  return phonemize;
}

start().then(
  (phonemize) => {
    port.on('message', (request: EspeakRequest) => void handle(phonemize, request));
    post({ kind: 'ready' });
  },
  (error: unknown) => post({ kind: 'init-failed', message: errorMessage(error) }),
);
