import { BreakerBoard } from '../../../src/telemetry/breaker-board';

function board() {
  let now = 1_000_000;
  const breakers = new BreakerBoard({ now: () => now });
  return { breakers, advance: (ms: number) => (now += ms) };
}

test('opens after 5 consecutive failures, as the old PC', () => {
  const { breakers } = board();
  for (let i = 0; i < 4; i++) breakers.recordFailure('gpu');
  expect(breakers.state('gpu')).toBe('closed');
  expect(breakers.snapshot().gpu.consecutiveFailures).toBe(4);
  breakers.recordFailure('gpu');
  expect(breakers.states()).toEqual({ gpu: 'open', cpu: 'closed' });
});

test('a success resets the count, and failures older than the 60 s window do not count', () => {
  const { breakers, advance } = board();
  for (let i = 0; i < 4; i++) breakers.recordFailure('cpu');
  breakers.recordSuccess('cpu');
  for (let i = 0; i < 4; i++) breakers.recordFailure('cpu');
  expect(breakers.state('cpu')).toBe('closed');
  advance(61_000);
  breakers.recordFailure('cpu');
  expect(breakers.snapshot().cpu.consecutiveFailures).toBe(1);
  expect(breakers.state('cpu')).toBe('closed');
});

test('half-open 60 s after the last failure; 2 successes close it; a failure reopens it', () => {
  const { breakers, advance } = board();
  for (let i = 0; i < 5; i++) breakers.recordFailure('gpu');
  advance(59_000);
  expect(breakers.state('gpu')).toBe('open');
  advance(1_000);
  expect(breakers.state('gpu')).toBe('half-open');
  breakers.recordFailure('gpu');
  expect(breakers.state('gpu')).toBe('open');
  advance(60_000);
  breakers.recordSuccess('gpu');
  expect(breakers.state('gpu')).toBe('half-open');
  breakers.recordSuccess('gpu');
  expect(breakers.state('gpu')).toBe('closed');
});

test('failures while open keep it open; the first success while open makes it half-open', () => {
  const { breakers, advance } = board();
  for (let i = 0; i < 5; i++) breakers.recordFailure('gpu');
  advance(50_000);
  breakers.recordFailure('gpu');
  advance(50_000);
  expect(breakers.state('gpu')).toBe('open');
  breakers.recordSuccess('gpu');
  expect(breakers.state('gpu')).toBe('half-open');
});
