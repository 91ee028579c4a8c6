import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import type { ChatHistoryItem, Llama, LlamaContextSequence, LlamaModel } from 'node-llama-cpp';
import type { GenerationParams } from '../generation-params';
import { importEsm } from './import-esm';
import type { LlamaHostMessage, LlamaThreadInit, LlamaThreadMessage } from './llama-protocol';

type NodeLlamaCpp = typeof import('node-llama-cpp');

/** Tokens the chat template adds per message, on top of the message text (an upper bound for ChatML). */
const TEMPLATE_TOKENS_PER_MESSAGE = 8;

function threadPort(): MessagePort {
  if (!parentPort) throw new Error('llama-thread.js must run as a worker thread');
  return parentPort;
}

const port = threadPort();
const init = workerData as LlamaThreadInit;

function post(message: LlamaThreadMessage): void {
  port.postMessage(message);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

class BadInput extends Error {}

interface Engine {
  lib: NodeLlamaCpp;
  llama: Llama;
  model: LlamaModel;
  sequence: LlamaContextSequence;
  contextSize: number;
}

async function openEngine(): Promise<{ engine: Engine; fallbackReason?: string }> {
  const lib = await importEsm<NodeLlamaCpp>('node-llama-cpp');
  // Never build or download at run time: the prebuilt binaries ship as npm packages (@node-llama-cpp/*).
  const base = { build: 'never', skipDownload: true, progressLogs: false, logLevel: lib.LlamaLogLevel.error, maxThreads: init.threads || undefined } as const;
  let fallbackReason: string | undefined;
  let llama: Llama | undefined;
  if (init.gpu && !(await lib.getLlamaGpuTypes('supported')).includes('cuda')) {
    fallbackReason = 'this machine has no CUDA for llama.cpp';
  } else if (init.gpu) {
    try {
      llama = await lib.getLlama({ ...base, gpu: 'cuda' });
    } catch (error) {
      fallbackReason = `${(error as Error).name}: ${errorMessage(error)}`;
    }
  }
  llama ??= await lib.getLlama({ ...base, gpu: false });
  const model = await llama.loadModel({ modelPath: init.modelPath });
  const context = await model.createContext({ contextSize: init.contextSize, sequences: 1 });
  return { engine: { lib, llama, model, sequence: context.getSequence(), contextSize: context.contextSize }, fallbackReason };
}

/** The turns before the prompt as node-llama-cpp's chat history; no system prompt unless the request has one (the library's default is long). */
function history(turns: GenerationParams['messages']): ChatHistoryItem[] {
  return turns.map((m): ChatHistoryItem => {
    if (m.role === 'assistant') return { type: 'model', response: [m.content] };
    return m.role === 'user' ? { type: 'user', text: m.content } : { type: 'system', text: m.content };
  });
}

async function generate(engine: Engine, id: number, params: GenerationParams, signal: AbortSignal): Promise<void> {
  const { lib, model, sequence, contextSize } = engine;
  const prior = params.messages.slice(0, -1);
  const prompt = params.messages[params.messages.length - 1].content;
  const promptTokens = params.messages.reduce((sum, m) => sum + model.tokenize(m.content).length + TEMPLATE_TOKENS_PER_MESSAGE, 0);
  if (promptTokens + params.maxTokens > contextSize) {
    throw new BadInput(
      `the prompt is about ${promptTokens} tokens; with max_tokens ${params.maxTokens} it does not fit the model's context of ${contextSize} tokens`,
    );
  }
  await sequence.clearHistory();
  const session = new lib.LlamaChatSession({ contextSequence: sequence, autoDisposeSequence: false });
  try {
    session.setChatHistory(history(prior));
    const meter = sequence.tokenMeter.getState();
    const started = performance.now();
    let firstTokenMs: number | undefined;
    const answer = await session.promptWithMeta(prompt, {
      maxTokens: params.maxTokens,
      temperature: params.temperature,
      topP: params.topP,
      customStopTriggers: params.stop.length > 0 ? params.stop : undefined,
      signal,
      stopOnAbortSignal: false,
      onTextChunk: (text) => {
        firstTokenMs ??= performance.now() - started;
        post({ kind: 'text', id, text });
      },
    });
    const used = sequence.tokenMeter.diff(meter);
    post({
      kind: 'done',
      id,
      text: answer.responseText,
      promptTokens: used.usedInputTokens,
      completionTokens: used.usedOutputTokens,
      stopReason: answer.stopReason,
      firstTokenMs,
      generateMs: performance.now() - started,
    });
  } finally {
    session.dispose({ disposeSequence: false });
  }
}

/** One generation at a time on the single context sequence; queued requests can be aborted before they start. */
function serve(engine: Engine): void {
  const queue: { id: number; params: GenerationParams }[] = [];
  const running = new Map<number, AbortController>();
  let busy = false;

  const next = (): void => {
    if (busy) return;
    const request = queue.shift();
    if (!request) return;
    busy = true;
    const controller = new AbortController();
    running.set(request.id, controller);
    generate(engine, request.id, request.params, controller.signal)
      .catch((error: unknown) =>
        post({ kind: 'failed', id: request.id, message: errorMessage(error), badInput: error instanceof BadInput, aborted: controller.signal.aborted }),
      )
      .finally(() => {
        running.delete(request.id);
        busy = false;
        next();
      });
  };

  port.on('message', (message: LlamaHostMessage) => {
    if (message.kind === 'close') {
      void close(engine, queue, running);
      return;
    }
    if (message.kind === 'generate') {
      queue.push({ id: message.id, params: message.params });
      next();
      return;
    }
    const queued = queue.findIndex((request) => request.id === message.id);
    if (queued >= 0) {
      queue.splice(queued, 1);
      post({ kind: 'failed', id: message.id, message: 'aborted before it started', badInput: false, aborted: true });
    }
    running.get(message.id)?.abort();
  });
}

/** Fails what is queued, stops what runs, frees llama.cpp's memory, then ends the thread. */
async function close(engine: Engine, queue: { id: number }[], running: Map<number, AbortController>): Promise<void> {
  for (const { id } of queue.splice(0)) post({ kind: 'failed', id, message: 'the model is closing', badInput: false, aborted: true });
  for (const controller of running.values()) controller.abort();
  try {
    await engine.llama.dispose();
  } finally {
    process.exit(0);
  }
}

openEngine().then(
  ({ engine, fallbackReason }) => {
    serve(engine);
    post({ kind: 'ready', gpu: engine.llama.gpu, contextSize: engine.contextSize, fallbackReason });
  },
  (error: unknown) => post({ kind: 'init-failed', message: errorMessage(error) }),
);
