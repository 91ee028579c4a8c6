import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { findRepoRoot } from '../../src/models';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `offload` in a child process without blocking this one (tests host Temporal workers in
 * their own process: a synchronous spawn would starve them and the CLI would wait forever).
 */
export function runCli(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(findRepoRoot(), 'bin', 'offload.js'), ...args], { env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
