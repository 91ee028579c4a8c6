import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { buildStartDevArgs, DEV_SERVER_DYNAMIC_CONFIG, type StartDevSettings } from '../../../temporal/dev-server-args';
import { projectSearchAttributes } from '../../../temporal/search-attributes';

const base: StartDevSettings = {
  port: 7233,
  uiPort: 8233,
  namespace: 'default',
  ip: '127.0.0.1',
  logLevel: 'warn',
  searchAttributes: [{ name: 'OffloadTaskType', type: 'KEYWORD' }],
  extraArgs: [],
};

/** Values of every `--flag value` occurrence. */
function values(args: string[], flag: string): string[] {
  return args.flatMap((arg, i) => (arg === flag ? [args[i + 1] as string] : []));
}

describe('buildStartDevArgs', () => {
  test('in memory with a UI', () => {
    const args = buildStartDevArgs(base);
    expect(args.slice(0, 2)).toEqual(['server', 'start-dev']);
    expect(values(args, '--port')).toEqual(['7233']);
    expect(values(args, '--ui-port')).toEqual(['8233']);
    expect(values(args, '--ip')).toEqual(['127.0.0.1']);
    expect(values(args, '--log-level')).toEqual(['warn']);
    expect(args).not.toContain('--headless');
    expect(args).not.toContain('--db-filename');
    expect(args).not.toContain('--sqlite-pragma');
    expect(args).not.toContain('--namespace');
    expect(values(args, '--search-attribute')).toEqual(['OffloadTaskType=Keyword']);
  });

  test('priority matcher with ten levels', () => {
    const config = values(buildStartDevArgs(base), '--dynamic-config-value');
    expect(config).toEqual(expect.arrayContaining(['matching.useNewMatcher=true', 'matching.priorityLevels=10']));
    for (const entry of config) expect(() => JSON.parse(entry.slice(entry.indexOf('=') + 1))).not.toThrow();
  });

  test('persisted, headless, own namespace, extra args last', () => {
    const args = buildStartDevArgs({ ...base, uiPort: false, dbFile: '/tmp/x.db', namespace: 'offload', httpPort: 7243, extraArgs: ['--metrics-port', '9000'] });
    expect(args).toContain('--headless');
    expect(args).not.toContain('--ui-port');
    expect(values(args, '--db-filename')).toEqual(['/tmp/x.db']);
    expect(values(args, '--sqlite-pragma')).toEqual(['journal_mode=wal', 'synchronous=normal']);
    expect(values(args, '--namespace')).toEqual(['offload']);
    expect(values(args, '--http-port')).toEqual(['7243']);
    expect(args.slice(-2)).toEqual(['--metrics-port', '9000']);
  });

  test('registers every project search attribute', () => {
    const args = buildStartDevArgs({ ...base, searchAttributes: projectSearchAttributes() });
    expect(values(args, '--search-attribute')).toEqual(projectSearchAttributes().map((s) => expect.stringMatching(new RegExp(`^${s.name}=[A-Za-z]+$`))));
  });
});

describe('temporal/dynamic-config.yaml', () => {
  const file = join(__dirname, '..', '..', '..', '..', 'temporal', 'dynamic-config.yaml');
  const config = parse(readFileSync(file, 'utf8')) as Record<string, Array<{ value: unknown; constraints?: unknown }>>;

  test('sets the same matching settings as the dev server', () => {
    expect(config['matching.useNewMatcher']).toEqual([{ value: true }]);
    expect(config['matching.priorityLevels']).toEqual([{ value: 10 }]);
    expect(DEV_SERVER_DYNAMIC_CONFIG['matching.useNewMatcher']).toBe(JSON.stringify(config['matching.useNewMatcher']?.[0]?.value));
    expect(DEV_SERVER_DYNAMIC_CONFIG['matching.priorityLevels']).toBe(JSON.stringify(config['matching.priorityLevels']?.[0]?.value));
  });

  test('reads new history tasks as often as the dev server does (each is a hop of every task)', () => {
    for (const key of ['history.transferProcessorMaxPollRPS', 'history.timerProcessorMaxPollRPS', 'history.visibilityProcessorMaxPollRPS']) {
      expect(config[key]).toEqual([{ value: 1000 }]);
      expect(DEV_SERVER_DYNAMIC_CONFIG[key]).toBe('1000');
    }
  });
});
