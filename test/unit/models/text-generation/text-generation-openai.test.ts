import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createModelRuntime, ModelInputError } from '../../../../src/models';
import { apiBase, OpenAiTextGenerator } from '../../../../src/models/text-generation/openai/openai-text-generator';
import { waitUntil } from '../../../harness/poll-until';
import { removeTempDirs, tempDir } from '../../../harness/model-test-env';

interface Received {
  path: string;
  authorization?: string;
  body: {
    model: string;
    messages: { role: string; content: string }[];
    max_tokens: number;
    temperature: number;
    top_p: number;
    stop?: string[];
    stream: boolean;
  };
}

/**
 * A small server speaking the OpenAI chat-completions API as Ollama and vLLM do. Models:
 * `echo` streams "You said: <prompt>" in 4-character chunks (honouring max_tokens as a chunk count
 * and stop), `echo-json` answers in one JSON body, `endless` streams until the client hangs up,
 * `too-long` is a 400, `broken` a 500.
 */
class FakeOpenAiServer {
  readonly received: Received[] = [];
  endlessClosed = false;
  private server!: Server;

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === 'GET' && req.url === '/v1/models') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: [{ id: 'echo' }, { id: 'echo-json' }] }));
      return;
    }
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      res.writeHead(404).end();
      return;
    }
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const body = JSON.parse(raw) as Received['body'];
    this.received.push({ path: req.url, authorization: req.headers.authorization, body });
    const prompt = body.messages[body.messages.length - 1].content;
    let answer = `You said: ${prompt}`;
    for (const stop of body.stop ?? []) if (answer.includes(stop)) answer = answer.slice(0, answer.indexOf(stop));
    const pieces = (answer.match(/.{1,4}/gs) ?? []).slice(0, body.max_tokens);
    const usage = { prompt_tokens: 11, completion_tokens: pieces.length, total_tokens: 11 + pieces.length };
    switch (body.model) {
      case 'echo': {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        for (const piece of pieces) {
          res.write(`data: ${JSON.stringify({ object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] })}\n\n`);
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`);
        res.write(`data: ${JSON.stringify({ choices: [], usage })}\n\ndata: [DONE]\n\n`);
        res.end();
        return;
      }
      case 'echo-json':
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content: pieces.join('') } }], usage }));
        return;
      case 'endless': {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const timer = setInterval(() => res.write(`data: ${JSON.stringify({ choices: [{ delta: { content: 'more ' } }] })}\n\n`), 20);
        res.on('close', () => {
          clearInterval(timer);
          this.endlessClosed = true;
        });
        return;
      }
      case 'too-long':
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'maximum context length exceeded' } }));
        return;
      default:
        res.writeHead(500).end('model crashed');
    }
  }
}

let server: FakeOpenAiServer;
let baseUrl: string;

beforeAll(async () => {
  server = new FakeOpenAiServer();
  baseUrl = await server.start();
});

afterAll(async () => {
  await server?.stop();
  await removeTempDirs();
});

const generator = (model: string, apiKey?: string) => new OpenAiTextGenerator({ baseUrl: `${baseUrl}/v1`, model, apiKey });

describe('OpenAI-compatible provider', () => {
  test('streams the answer token by token over SSE and reports usage', async () => {
    const pieces: string[] = [];
    const output = await generator('echo', 'sk-test').generate(
      { prompt: 'turn left', system_prompt: 'You are a robot.', max_tokens: 100, temperature: 0.2, top_p: 0.8 },
      { onToken: (piece) => pieces.push(piece) },
    );
    expect(output.result).toEqual({ text: 'You said: turn left', tokens_used: 16, from_cache: false });
    expect(pieces).toEqual(['You ', 'said', ': tu', 'rn l', 'eft']);
    expect(output.model).toEqual({ id: 'openai:echo', kind: 'real' });
    expect(output.timings.completion_tokens).toBe(5);
    const last = server.received[server.received.length - 1];
    expect(last.authorization).toBe('Bearer sk-test');
    expect(last.body).toEqual({
      model: 'echo',
      messages: [
        { role: 'system', content: 'You are a robot.' },
        { role: 'user', content: 'turn left' },
      ],
      max_tokens: 100,
      temperature: 0.2,
      top_p: 0.8,
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  test('max_tokens and stop sequences are sent and honoured', async () => {
    expect((await generator('echo').generate({ prompt: 'abcdefghijkl', max_tokens: 2 })).result.text).toBe('You said');
    const stopped = await generator('echo').generate({ prompt: 'go to the kitchen', stop: ['kitchen'] });
    expect(stopped.result.text).toBe('You said: go to the ');
    expect(server.received[server.received.length - 1].body.stop).toEqual(['kitchen']);
  });

  test('a server that answers with one JSON body (no streaming) works too', async () => {
    const pieces: string[] = [];
    const output = await generator('echo-json').generate({ prompt: 'hi' }, { onToken: (p) => pieces.push(p) });
    expect(output.result).toEqual({ text: 'You said: hi', tokens_used: 14, from_cache: false });
    expect(pieces).toEqual(['You said: hi']);
  });

  test('an aborted signal stops reading and closes the connection', async () => {
    const controller = new AbortController();
    let pieces = 0;
    await expect(generator('endless').generate({ prompt: 'talk' }, { signal: controller.signal, onToken: () => ++pieces === 3 && controller.abort() })).rejects.toThrow(/abort/i);
    await waitUntil('the server saw the connection close', () => server.endlessClosed, 10_000);
  });

  test('a 400 from the server is bad input (not retried); other failures are errors with the status', async () => {
    await expect(generator('too-long').generate({ prompt: 'x' })).rejects.toThrow(ModelInputError);
    await expect(generator('too-long').generate({ prompt: 'x' })).rejects.toThrow(/HTTP 400: .*maximum context length exceeded/);
    const failure = generator('broken').generate({ prompt: 'x' });
    await expect(failure).rejects.toThrow(/HTTP 500: model crashed/);
    await expect(failure).rejects.not.toThrow(ModelInputError);
  });

  test('an unreachable server is a clear error; the start-up probe says so without failing', async () => {
    const down = new OpenAiTextGenerator({ baseUrl: 'http://127.0.0.1:9/v1', model: 'echo', timeoutMs: 2000 });
    await expect(down.generate({ prompt: 'x' })).rejects.toThrow(/fetch failed/);
    expect(await down.probe(2000)).toMatch(/is not reachable yet/);
    expect(await generator('echo').probe()).toBe(`${baseUrl}/v1 serves echo`);
  });

  test('base URLs: a bare host gets /v1, a path is kept', () => {
    expect(apiBase('http://127.0.0.1:11434')).toBe('http://127.0.0.1:11434/v1');
    expect(apiBase('http://127.0.0.1:11434/v1/')).toBe('http://127.0.0.1:11434/v1');
    expect(apiBase('https://example.com/openai/v1')).toBe('https://example.com/openai/v1');
    expect(() => apiBase('not a url')).toThrow(/is not a URL/);
  });
});

describe('OFFLOAD_TEXT_PROVIDER=openai in the model runtime', () => {
  test('serves text.generate from the server, greedy answers cached', async () => {
    const lines: string[] = [];
    const runtime = await createModelRuntime({
      modelDir: await tempDir('no-models'),
      hardware: 'cpu',
      executionProvider: 'cpu',
      textGeneration: { provider: 'openai', openai: { baseUrl, model: 'echo' } },
      log: (message) => lines.push(message),
    });
    try {
      expect(lines).toContain(`text provider openai: ${baseUrl}/v1 serves echo`);
      expect(runtime.installed()).toEqual([expect.objectContaining({ id: 'openai:echo', taskTypes: ['text.generate'] })]);
      const before = server.received.length;
      const first = await runtime.generate({ prompt: 'status?', temperature: 0 });
      const second = await runtime.generate({ prompt: 'status?', temperature: 0 });
      expect(first.result.text).toBe('You said: status?');
      expect(second.result).toMatchObject({ text: 'You said: status?', from_cache: true });
      expect(server.received.length - before).toBe(1);
    } finally {
      await runtime.close();
    }
  });

  test("language pl reaches the server as the robot's Polish system prompt (a configured server may speak any language)", async () => {
    const runtime = await createModelRuntime({
      modelDir: await tempDir('no-models'),
      hardware: 'cpu',
      executionProvider: 'cpu',
      textGeneration: { provider: 'openai', openai: { baseUrl, model: 'echo' } },
    });
    try {
      await runtime.generate({ prompt: 'Jak się masz?', language: 'pl', temperature: 0.5 });
      expect(server.received[server.received.length - 1].body.messages).toEqual([
        { role: 'system', content: 'Jesteś asystentem głosowym Rider-Pi. Odpowiadaj krótko po polsku.' },
        { role: 'user', content: 'Jak się masz?' },
      ]);
      await runtime.generate({ prompt: 'Jak się masz?', language: 'pl', system_prompt: 'Mów jak pirat.', temperature: 0.5 });
      expect(server.received[server.received.length - 1].body.messages[0]).toEqual({ role: 'system', content: 'Mów jak pirat.' });
    } finally {
      await runtime.close();
    }
  });

  test('provider openai without a server configured fails at start with the variables to set', async () => {
    await expect(
      createModelRuntime({ modelDir: await tempDir('no-models'), hardware: 'cpu', executionProvider: 'cpu', textGeneration: { provider: 'openai' } }),
    ).rejects.toThrow(/needs OFFLOAD_OPENAI_BASE_URL and OFFLOAD_OPENAI_MODEL/);
  });
});
