import { benchNoopWorkflows } from './noop-workflows';
import { benchModels } from './models';
import { benchBridgeFrames } from './bridge-frames';
import { benchSideBySide } from './side-by-side';
import { benchRobotVoice } from './robot-voice';
import { benchRobotsPerPc } from './robots-bench';

const BENCHES: Record<string, (args: string[]) => Promise<void>> = {
  noop: benchNoopWorkflows,
  models: benchModels,
  'bridge-frames': benchBridgeFrames,
  'side-by-side': benchSideBySide,
  'robot-voice': benchRobotVoice,
  robots: benchRobotsPerPc,
};

async function main(): Promise<void> {
  const given = process.argv.slice(2);
  // `npm run bench` and `npm run bench -- --quick` run the side-by-side benchmark.
  const [name = 'side-by-side', ...args] = given[0]?.startsWith('--') ? ['side-by-side', ...given] : given;
  const bench = BENCHES[name];
  if (!bench) throw new Error(`unknown benchmark "${name}"; known: ${Object.keys(BENCHES).join(', ')}`);
  await bench(args);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
