import { spawn } from 'node:child_process';

/** Runs an external tool (pip, mvn, python); rejects with its output when it fails or is missing. */
export function runTool(command: string, args: string[], what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('error', (err) => reject(new Error(`${what}: cannot run ${command} (${err.message}); install it or put the model files in the model directory yourself`)));
    child.once('exit', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${what}: ${command} exited with ${code}\n${output.trim().split('\n').slice(-15).join('\n')}`));
    });
  });
}
