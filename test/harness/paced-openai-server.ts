import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An OpenAI-compatible chat-completions server (model `paced`) that streams `pieces` pieces, one
 * every `intervalMs`: how long an answer takes is set by the test's timers, not by the machine.
 */
export class PacedOpenAiServer {
  private server: Server | undefined;

  constructor(private readonly pace: { pieces: number; intervalMs: number }) {}

  /** The API base to configure (`http://127.0.0.1:<port>/v1`). */
  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404).end();
        return;
      }
      req.resume();
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      let sent = 0;
      const timer = setInterval(() => {
        if (sent < this.pace.pieces) {
          res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: `${++sent}, ` }, finish_reason: null }] })}\n\n`);
          return;
        }
        clearInterval(timer);
        const usage = { prompt_tokens: 10, completion_tokens: sent, total_tokens: 10 + sent };
        res.end(`data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\ndata: ${JSON.stringify({ choices: [], usage })}\n\ndata: [DONE]\n\n`);
      }, this.pace.intervalMs);
      res.on('close', () => clearInterval(timer));
    });
    const server = this.server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
