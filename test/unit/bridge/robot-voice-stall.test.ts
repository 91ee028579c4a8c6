import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RobotVoice, STOPPED_MS } from '../../../src/bridge/robot-voice';
import type { AsrRequest } from '../../../src/bridge/robot-requests';
import type { VoiceActivityDetector } from '../../../src/models/voice-activity-detection/voice-activity-detector';
import { createLogger } from '../../../src/telemetry/logger';
import { waitUntil } from '../../harness/poll-until';

const FRAME_BYTES = 640;

function chunk(ts: number): AsrRequest {
  return { kind: 'asr', ts, rate: 16_000, len: FRAME_BYTES, chunkPcm: Buffer.alloc(FRAME_BYTES).toString('base64') };
}

/** A robot in another process: it connects, and on "send" writes one chunk timestamp and leaves a marker file. */
const ROBOT = `
const net = require('node:net'); const fs = require('node:fs');
const [port, ts, marker] = process.argv.slice(1);
const s = net.connect(Number(port), '127.0.0.1', () => s.write('ready\\n'));
s.on('data', () => { s.write(ts + '\\n', () => { fs.writeFileSync(marker, ''); s.end(); }); });
`;

test('a process stall longer than the stopped-stream timer, with the robot\'s chunk waiting unread, does not end the stream', async () => {
  let streams = 0;
  const vad = { stream: () => ((streams += 1), { score: async () => 0 }) } as unknown as VoiceActivityDetector;
  const sessionsEnded: string[] = [];
  const voice = new RobotVoice({
    robotId: 'rider-1',
    voice: { endpointing: { threshold: 0.5, silenceMs: 500, prefixPaddingMs: 300, minSpeechMs: 250, maxUtteranceMs: 15_000 } } as never,
    session: {} as never,
    vad,
    store: { put: async () => 'ref', get: async () => Buffer.alloc(0) },
    sessions: { utterance: async () => undefined, end: async (id) => void sessionsEnded.push(id) },
    metrics: { utterance: () => undefined, dropped: () => undefined, backlog: () => undefined, sessionStarted: () => undefined, turnStartFailed: () => undefined },
    log: createLogger('test', 'silent'),
  });
  const received: number[] = [];
  let robot: Socket | undefined;
  const server = createServer((socket) => {
    robot = socket;
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => {
      for (const line of text.split('\n').filter((l) => l && l !== 'ready')) {
        received.push(Number(line));
        voice.push(chunk(Number(line)));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const marker = join(mkdtempSync(join(tmpdir(), 'offload-stall-')), 'sent');
  const ts0 = 1_800_000_000;
  const child = spawn(process.execPath, ['-e', ROBOT, String((server.address() as AddressInfo).port), String(ts0 + 0.02), marker], { stdio: 'ignore' });
  try {
    await waitUntil('the robot connected', () => robot !== undefined, 30_000);
    voice.push(chunk(ts0));
    const pushedAt = performance.now();
    robot?.write('send\n');
    // This process is not scheduled (held here): the robot's next chunk arrives and waits in the socket
    // while the stopped-stream timer expires. When the process runs again, timers come before socket reads.
    const holdUntil = performance.now() + 30_000;
    while (!(existsSync(marker) && performance.now() - pushedAt > STOPPED_MS * 1.5) && performance.now() < holdUntil);
    expect(existsSync(marker)).toBe(true);
    await waitUntil('the waiting chunk was read', () => received.length === 1, 30_000);
    await new Promise((resolve) => setImmediate(resolve));
    expect(streams).toBe(1);
    await voice.stop();
    expect(sessionsEnded).toEqual([]);
  } finally {
    child.kill();
    server.close();
  }
}, 60_000);
