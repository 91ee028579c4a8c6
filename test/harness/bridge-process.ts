import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { findRepoRoot } from '../../src/models/model-dirs';
import { LoggedProcess } from './logged-process';

/** `node dist/src/main/bridge.js` as its own process (so a test can kill it), with its JSON log lines. */
export class BridgeProcess extends LoggedProcess {
  /** Starts a bridge and waits until it delivers results (its "robot bus up" line). */
  static async start(env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<BridgeProcess> {
    const child = spawn(process.execPath, [resolve(findRepoRoot(), 'dist/src/main/bridge.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const bridge = new BridgeProcess(child, 'bridge');
    try {
      await bridge.waitForLine((l) => l.msg === 'robot bus up: delivering results', timeoutMs);
    } catch (err) {
      await bridge.kill();
      throw err;
    }
    return bridge;
  }
}
