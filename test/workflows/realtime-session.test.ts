import { randomBytes } from 'node:crypto';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { policyFor } from '../../src/client/task-policy';
import { workflowQueue } from '../../src/shared/queues';
import {
  REALTIME_FAILURE_TYPE,
  REALTIME_SIGNALS,
  REALTIME_SNAPSHOT_QUERY,
  REALTIME_UPDATES,
  type CreateResponseResult,
  type DeliverRealtimeEventsInput,
  type EngineEvent,
  type ItemPlacement,
  type RealtimeResponseRecord,
  type RealtimeSessionInput,
  type RealtimeSnapshot,
} from '../../src/shared/realtime-session';
import { directoryAudioStore } from '../../src/voice/audio-store';
import { largestPayloadBytes } from '../harness/history-events';
import { spoken } from '../harness/robot-voice';
import { modelGate } from '../harness/installed-models';
import { OffloadTestEnv } from '../harness/offload-env';
import { waitUntil } from '../harness/poll-until';
import { closeTestRuntimes } from '../harness/test-runtime';

const asr = modelGate('voice.asr');
const llm = modelGate('text.generate');
const tts = modelGate('voice.tts');

let env: OffloadTestEnv;
let gateway: { worker: Worker; done: Promise<void> };
const gatewayQueue = `test-gateway-${randomBytes(4).toString('hex')}`;
/** What the session told the gateway instance, per connection. */
const delivered = new Map<string, EngineEvent[]>();

beforeAll(async () => {
  env = await OffloadTestEnv.start({ hardware: ['cpu'], env: { OFFLOAD_ROUTES: 'voice.asr=cpu,voice.tts=cpu,text.generate=cpu' } });
  // The gateway instance's side of the contract: its worker takes the session's control events.
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: env.config.namespace,
    taskQueue: gatewayQueue,
    activities: {
      async deliverRealtimeEvents(input: DeliverRealtimeEventsInput) {
        delivered.set(input.connection_id, [...(delivered.get(input.connection_id) ?? []), ...input.events]);
        return { delivered: input.events.length };
      },
    },
  });
  gateway = { worker, done: worker.run() };
}, 180_000);

afterAll(async () => {
  gateway?.worker.shutdown();
  await gateway?.done;
  await env?.close();
  await closeTestRuntimes();
});

function sessionInput(sessionId: string, connectionId: string, overrides: Partial<RealtimeSessionInput> = {}): RealtimeSessionInput {
  const policy = (type: 'voice.asr' | 'text.nlu' | 'text.generate' | 'voice.tts') => policyFor(type, env.config);
  return {
    session_id: sessionId,
    tenant: 'dev',
    session: { id: sessionId, type: 'realtime' },
    settings: { instructions: '', output_modalities: ['audio'], max_output_tokens: 24, language: 'en' },
    policies: { 'voice.asr': policy('voice.asr'), 'text.nlu': policy('text.nlu'), 'text.generate': policy('text.generate'), 'voice.tts': policy('voice.tts') },
    attachment: { connection_id: connectionId, task_queue: gatewayQueue, stream_endpoint: 'tcp://127.0.0.1:1' },
    resume_ttl_ms: 60_000,
    idle_timeout_ms: 300_000,
    ...overrides,
  };
}

type Policies = RealtimeSessionInput['policies'];

/** The session's policies with `steps` routed to gpu, which no worker here serves: each waits for a pickup that never comes. */
function unserved(steps: Array<keyof Policies>, change: Partial<Policies[keyof Policies]> = { pickupTimeoutMs: 500 }): Policies {
  const policies = sessionInput('x', 'y').policies;
  return { ...policies, ...Object.fromEntries(steps.map((step) => [step, { ...policies[step], route: ['gpu' as const], ...change }])) };
}

async function startSession(overrides: Partial<RealtimeSessionInput> = {}): Promise<{ handle: WorkflowHandle; connection: string }> {
  const id = `sess_${randomBytes(6).toString('hex')}`;
  const connection = `conn_${randomBytes(4).toString('hex')}`;
  const handle = await env.client.workflow.start('realtimeSession', { workflowId: id, taskQueue: workflowQueue(env.config.queuePrefix), args: [sessionInput(id, connection, overrides)] });
  return { handle, connection };
}

async function eventOf<T extends EngineEvent['type']>(connection: string, type: T, match: (e: Extract<EngineEvent, { type: T }>) => boolean = () => true): Promise<Extract<EngineEvent, { type: T }>> {
  let found: Extract<EngineEvent, { type: T }> | undefined;
  await waitUntil(`a ${type} event on ${connection}`, () => (found = (delivered.get(connection) ?? []).find((e): e is Extract<EngineEvent, { type: T }> => e.type === type && match(e as Extract<EngineEvent, { type: T }>))) !== undefined, 120_000);
  return found as Extract<EngineEvent, { type: T }>;
}

async function protocolErrorOf(call: Promise<unknown>): Promise<{ code: string; param?: string }> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (err as WorkflowUpdateFailedError).cause as { type?: string; details?: unknown[] };
  expect(cause.type).toBe(REALTIME_FAILURE_TYPE);
  return cause.details?.[0] as { code: string; param?: string };
}

test('protocol errors come back from the validators, and a rejected call leaves the session as it was', async () => {
  const { handle } = await startSession();
  expect(await protocolErrorOf(handle.executeUpdate(REALTIME_UPDATES.cancelResponse, { args: [{ reason: 'client_cancelled' }] }))).toMatchObject({ code: 'response_cancel_not_active' });
  expect(await protocolErrorOf(handle.executeUpdate(REALTIME_UPDATES.deleteItem, { args: [{ item_id: 'item_nope' }] }))).toMatchObject({ code: 'item_not_found', param: 'item_id' });
  const first = (await handle.executeUpdate(REALTIME_UPDATES.createItem, { args: [{ item: { id: 'item_a', role: 'user', content_type: 'input_text', text: 'hi' } }] })) as ItemPlacement;
  expect(first).toEqual({ item_id: 'item_a', previous_item_id: null });
  expect(await protocolErrorOf(handle.executeUpdate(REALTIME_UPDATES.createItem, { args: [{ item: { id: 'item_a', role: 'user', content_type: 'input_text', text: 'again' } }] }))).toMatchObject({ code: 'invalid_value', param: 'item.id' });
  expect(await protocolErrorOf(handle.executeUpdate(REALTIME_UPDATES.createItem, { args: [{ item: { id: 'item_b', role: 'user', content_type: 'input_text', text: 'x' }, previous_item_id: 'item_nope' }] }))).toMatchObject({ code: 'item_not_found', param: 'previous_item_id' });
  const atStart = (await handle.executeUpdate(REALTIME_UPDATES.createItem, { args: [{ item: { id: 'item_0', role: 'system', content_type: 'input_text', text: 'be brief' }, previous_item_id: null }] })) as ItemPlacement;
  expect(atStart).toEqual({ item_id: 'item_0', previous_item_id: null });
  expect(await protocolErrorOf(handle.executeUpdate(REALTIME_UPDATES.truncateItem, { args: [{ item_id: 'item_a', audio_end_ms: 10 }] }))).toMatchObject({ code: 'invalid_value', param: 'item_id' });
  const snapshot = await handle.query<RealtimeSnapshot>(REALTIME_SNAPSHOT_QUERY);
  expect(snapshot.items.map((i) => i.id)).toEqual(['item_0', 'item_a']);
  // A rejected update leaves nothing in the history.
  const updates = ((await handle.fetchHistory()).events ?? []).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
  expect(updates).toHaveLength(2);
  await handle.signal(REALTIME_SIGNALS.endSession);
  expect(await handle.result()).toMatchObject({ ended: 'client_closed', responses: 0 });
});

test('a response that cannot start yet (its text model is not picked up) is active: a second is refused, a cancel ends it cancelled', async () => {
  const { handle: waiting, connection: conn } = await startSession({ policies: unserved(['text.generate'], { pickupTimeoutMs: 300_000, deadlineMs: 300_000 }) });
  await waiting.executeUpdate(REALTIME_UPDATES.createItem, { args: [{ item: { id: 'item_q', role: 'user', content_type: 'input_text', text: 'Hello' } }] });
  const created = (await waiting.executeUpdate(REALTIME_UPDATES.createResponse, { args: [{ response_id: 'resp_1' }] })) as CreateResponseResult;
  expect(created).toEqual({ response_id: 'resp_1', item_id: 'msg_1' });
  expect(await protocolErrorOf(waiting.executeUpdate(REALTIME_UPDATES.createResponse, { args: [{ response_id: 'resp_2' }] }))).toMatchObject({ code: 'conversation_already_has_active_response' });
  // Out of band is allowed beside it.
  await waiting.executeUpdate(REALTIME_UPDATES.createResponse, { args: [{ response_id: 'resp_oob', overrides: { conversation: 'none' } }] });
  const cancelled = (await waiting.executeUpdate(REALTIME_UPDATES.cancelResponse, { args: [{ reason: 'client_cancelled' }] })) as RealtimeResponseRecord;
  expect(cancelled).toMatchObject({ response_id: 'resp_1', status: 'cancelled', status_details: { reason: 'client_cancelled' } });
  expect(await eventOf(conn, 'response.finished', (e) => e.response.response_id === 'resp_1')).toMatchObject({ response: { status: 'cancelled' } });
  const snapshot = await waiting.query<RealtimeSnapshot>(REALTIME_SNAPSHOT_QUERY);
  expect(snapshot.items.map((i) => [i.id, i.status])).toEqual([
    ['item_q', 'completed'],
    ['msg_1', 'incomplete'],
  ]);
  await waiting.terminate('test over');
});

(asr.installed && llm.installed && tts.installed ? test : test.skip)(`a spoken turn: committed audio is transcribed, the response writes and speaks sentence by sentence [${asr.reason}; ${llm.reason}; ${tts.reason}]`, async () => {
  const { handle, connection } = await startSession();
  const store = directoryAudioStore(env.config.voice.audioDir);
  const pcm = spoken('hello_world').pcm;
  const audioRef = await store.put(`${handle.workflowId}/item_u1.pcm`, new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength));
  await handle.executeUpdate(REALTIME_UPDATES.commitAudio, { args: [{ item_id: 'item_u1', audio_ref: audioRef, duration_ms: pcm.length / 32 }] });
  await handle.executeUpdate(REALTIME_UPDATES.createResponse, { args: [{ response_id: 'resp_t1' }] });
  const heard = await eventOf(connection, 'item.transcribed');
  expect(heard).toMatchObject({ item_id: 'item_u1', transcript: expect.stringMatching(/hello/i) });
  const { response } = await eventOf(connection, 'response.finished');
  console.log(`spoken turn: heard "${heard.transcript}", answered ${JSON.stringify(response.parts.map((p) => [p.text, p.audio?.duration_ms]))}`);
  expect(response).toMatchObject({ response_id: 'resp_t1', status: 'completed', item_id: 'msg_t1', degraded: [] });
  expect(response.parts.length).toBeGreaterThan(0);
  for (const part of response.parts) expect(part.audio?.audio_ref).toEqual(expect.any(String));
  const snapshot = await handle.query<RealtimeSnapshot>(REALTIME_SNAPSHOT_QUERY);
  expect(snapshot.items.map((i) => [i.id, i.role, i.status])).toEqual([
    ['item_u1', 'user', 'completed'],
    ['msg_t1', 'assistant', 'completed'],
  ]);
  expect(snapshot.items[1].text).toBe(response.parts.map((p) => p.text).join(' '));
  // Audio never entered the history: only references to it.
  expect(largestPayloadBytes((await handle.fetchHistory()).events ?? [])).toBeLessThan(pcm.length / 4);
  await handle.signal(REALTIME_SIGNALS.endSession);
  expect(await handle.result()).toMatchObject({ ended: 'client_closed', responses: 1 });
}, 240_000);

test('degradations: ASR down → transcription failed; text model down → an apology that repeats what was heard; TTS down → the rest as text only', async () => {
  // Each step is not picked up and falls to "the robot", which a session cannot use.
  const { handle, connection } = await startSession({ policies: unserved(['voice.asr', 'text.generate', 'voice.tts']) });
  await handle.executeUpdate(REALTIME_UPDATES.commitAudio, { args: [{ item_id: 'item_heard', audio_ref: 'nowhere.pcm', duration_ms: 900 }] });
  expect(await eventOf(connection, 'item.transcription_failed')).toMatchObject({ item_id: 'item_heard', error: { code: 'transcription_unavailable' } });
  await handle.executeUpdate(REALTIME_UPDATES.createItem, { args: [{ item: { id: 'item_typed', role: 'user', content_type: 'input_text', text: 'turn left' } }] });
  await handle.executeUpdate(REALTIME_UPDATES.createResponse, { args: [{ response_id: 'resp_d1' }] });
  expect(await eventOf(connection, 'response.degraded')).toMatchObject({ response_id: 'resp_d1', step: 'voice.tts', output_modalities: ['text'] });
  const { response } = await eventOf(connection, 'response.finished');
  expect(response).toMatchObject({ status: 'completed', output_modalities: ['text'], degraded: ['text.generate: apology', 'voice.tts: text only'] });
  expect(response.parts.map((p) => p.text).join(' ')).toBe('Sorry, I cannot answer right now. I heard: turn left');
  expect(response.parts.every((p) => p.audio === undefined)).toBe(true);
  const snapshot = await handle.query<RealtimeSnapshot>(REALTIME_SNAPSHOT_QUERY);
  expect(snapshot.items.map((i) => [i.id, i.status, i.content_type, i.transcription])).toEqual([
    ['item_heard', 'completed', 'input_audio', 'failed'],
    ['item_typed', 'completed', 'input_text', undefined],
    ['msg_d1', 'completed', 'output_text', undefined],
  ]);
  // The session goes on after a degraded response.
  await handle.executeUpdate(REALTIME_UPDATES.createResponse, { args: [{ response_id: 'resp_d2', overrides: { output_modalities: ['text'] } }] });
  expect((await eventOf(connection, 'response.finished', (e) => e.response.response_id === 'resp_d2')).response.status).toBe('completed');
  await handle.signal(REALTIME_SIGNALS.endSession);
  expect(await handle.result()).toMatchObject({ ended: 'client_closed', responses: 2 });
}, 120_000);

test('the session outlives its socket: a client re-attaching gets the conversation so far and the events from then on; unattended past resume_ttl_ms it ends', async () => {
  const { handle, connection: first } = await startSession({ resume_ttl_ms: 1000, policies: unserved(['text.generate', 'voice.tts']) });
  await handle.executeUpdate(REALTIME_UPDATES.createItem, { args: [{ item: { id: 'item_1', role: 'user', content_type: 'input_text', text: 'stop' } }] });
  await handle.signal(REALTIME_SIGNALS.detach, { connection_id: 'conn_not_attached' });
  await handle.signal(REALTIME_SIGNALS.detach, { connection_id: first });
  const second = `conn_${randomBytes(4).toString('hex')}`;
  const snapshot = (await handle.executeUpdate(REALTIME_UPDATES.attach, { args: [{ connection_id: second, task_queue: gatewayQueue, stream_endpoint: 'tcp://127.0.0.1:1' }] })) as RealtimeSnapshot;
  expect(snapshot.items.map((i) => [i.id, i.text])).toEqual([['item_1', 'stop']]);
  await handle.executeUpdate(REALTIME_UPDATES.createResponse, { args: [{ response_id: 'resp_r1' }] });
  expect((await eventOf(second, 'response.finished')).response.response_id).toBe('resp_r1');
  expect(delivered.get(first) ?? []).toEqual([]);
  await handle.signal(REALTIME_SIGNALS.detach, { connection_id: second });
  expect(await handle.result()).toMatchObject({ ended: 'detached', responses: 1 });
}, 120_000);
