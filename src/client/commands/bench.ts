import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { findRepoRoot } from '../../models/model-dirs';

export function registerBenchCommand(program: Command): void {
  program
    .command('bench')
    .description('run a benchmark (default side-by-side: YOLOX bare vs through Offload) and record it in bench/results')
    .argument('[name]', 'side-by-side, noop, models or bridge-frames')
    .argument('[args...]', 'passed to the benchmark, e.g. --quick')
    .allowUnknownOption()
    .action(async (name: string | undefined, args: string[]) => {
      const runner = resolve(findRepoRoot(), 'dist', 'bench', 'run.js');
      if (!existsSync(runner)) throw new Error(`${runner} not found: benchmarks run from a source checkout after npm run build`);
      process.exitCode = await new Promise<number>((done, fail) => {
        const child = spawn(process.execPath, [runner, ...(name ? [name] : []), ...args], { stdio: 'inherit' });
        child.once('error', fail);
        child.once('exit', (code, signal) => done(code ?? (signal ? 1 : 0)));
      });
    });
}
