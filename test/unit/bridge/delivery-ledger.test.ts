import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDeliveryLedger } from '../../../src/bridge/delivery-ledger';

const journal = () => join(mkdtempSync(join(tmpdir(), 'ledger-')), 'sub', 'delivered.log');

test('remembers delivered ids, forgetting the oldest past its capacity', () => {
  const ledger = openDeliveryLedger({ capacity: 2 });
  ledger.record('a');
  ledger.record('b');
  ledger.record('c');
  expect([ledger.has('a'), ledger.has('b'), ledger.has('c'), ledger.size]).toEqual([false, true, true, 2]);
});

test('a restarted bridge (a new ledger on the same journal) still knows what was delivered', () => {
  const file = journal();
  const first = openDeliveryLedger({ file });
  first.record('frame-1');
  first.record('asr-2');
  const second = openDeliveryLedger({ file });
  expect(second.has('frame-1')).toBe(true);
  expect(second.has('asr-2')).toBe(true);
  expect(second.has('tts-3')).toBe(false);
});

test('the journal is compacted to the last `capacity` ids', () => {
  const file = journal();
  const ledger = openDeliveryLedger({ file, capacity: 3 });
  for (let i = 0; i < 7; i++) ledger.record(`t${i}`);
  expect(readFileSync(file, 'utf8').split('\n').filter(Boolean)).toEqual(['t4', 't5', 't6']);
  expect(openDeliveryLedger({ file, capacity: 3 }).has('t6')).toBe(true);
});
