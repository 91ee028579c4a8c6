import { readFileSync, readdirSync } from 'node:fs';
import { basename } from 'node:path';

/** `rootPid` and every process below it (children, their children, ...), from /proc. */
export function processTree(rootPid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    const parent = parentOf(Number(entry));
    if (parent !== undefined) children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
  }
  const tree = [rootPid];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]) ?? []));
  return tree;
}

/** A process's command as a short name: a node script's file name and its arguments (`inference-worker --hardware gpu`), else the program's. */
export function processName(pid: number): string {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    const script = basename(argv[0] ?? '') === 'node' ? argv.slice(1) : argv;
    return [basename(script[0] ?? `pid ${pid}`).replace(/\.js$/, ''), ...script.slice(1, 3)].join(' ');
  } catch {
    return `pid ${pid}`;
  }
}

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}
