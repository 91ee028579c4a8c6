import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { machineInfo } from './machine';

/** Writes bench/results/<date>-<name>.json and prints the figures as a markdown table. */
export function writeResult(name: string, figures: Record<string, number | string>, notes: Record<string, unknown> = {}): string {
  const dir = resolve(__dirname, '..', '..', 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const date = new Date().toISOString().slice(0, 10);
  const file = resolve(dir, `${date}-${name}.json`);
  const result = { name, date: new Date().toISOString(), ...figures, machine: machineInfo(), ...notes };
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\n| ${name} | value |\n|---|---|`);
  for (const [key, value] of Object.entries(figures)) console.log(`| ${key} | ${value} |`);
  console.log(`\nwritten to ${file}`);
  return file;
}
