import { accessSync, constants, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/** Where a javy binary was found and how. */
export interface JavyLocation {
  path: string;
  /** `option`, `env` (JAVY_PATH), `path` (PATH lookup) or `javy-cli` (that package's download cache). */
  source: 'option' | 'env' | 'path' | 'javy-cli';
}

/**
 * Finds a javy binary: the explicit `javyPath`, then `JAVY_PATH`, then `javy` on `PATH`, then
 * the newest binary the `javy-cli` npm package downloaded into its cache
 * (`<user cache>/binarycache/javy-v*`). Returns where it was found, or a sentence saying why
 * none was. An explicit path or JAVY_PATH that is not executable is reported, not skipped.
 */
export function findJavy(
  javyPath: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): JavyLocation | string {
  if (javyPath !== undefined) {
    return isExecutable(javyPath)
      ? { path: javyPath, source: 'option' }
      : `javyPath ${javyPath} is not an executable file`;
  }
  if (env.JAVY_PATH) {
    return isExecutable(env.JAVY_PATH)
      ? { path: env.JAVY_PATH, source: 'env' }
      : `JAVY_PATH ${env.JAVY_PATH} is not an executable file`;
  }
  const binaryName = process.platform === 'win32' ? 'javy.exe' : 'javy';
  for (const directory of (env.PATH ?? '').split(delimiter)) {
    if (directory && isExecutable(join(directory, binaryName)))
      return { path: join(directory, binaryName), source: 'path' };
  }
  for (const directory of javyCliCacheDirectories(env)) {
    const newest = newestJavyIn(directory);
    if (newest) return { path: newest, source: 'javy-cli' };
  }
  return 'no javy binary found (checked javyPath, JAVY_PATH, PATH and the javy-cli download cache)';
}

/** Candidate cache directories of the `cachedir('binarycache')` call javy-cli makes. */
function javyCliCacheDirectories(env: NodeJS.ProcessEnv): string[] {
  const home = homedir();
  const candidates: string[] = [];
  if (env.XDG_CACHE_HOME) candidates.push(join(env.XDG_CACHE_HOME, 'binarycache'));
  candidates.push(join(home, '.cache', 'binarycache'));
  if (process.platform === 'darwin') candidates.push(join(home, 'Library', 'Caches', 'binarycache'));
  if (process.platform === 'win32' && env.LOCALAPPDATA)
    candidates.push(join(env.LOCALAPPDATA, 'binarycache', 'Cache'));
  return candidates;
}

function newestJavyIn(directory: string): string | undefined {
  let names: string[];
  try {
    names = readdirSync(directory);
  } catch {
    return undefined;
  }
  const versions = names
    .map((name) => ({ name, version: /^javy-v(\d+)\.(\d+)\.(\d+)(?:\.exe)?$/.exec(name) }))
    .filter((entry) => entry.version !== null)
    .map((entry) => ({ name: entry.name, parts: entry.version!.slice(1, 4).map(Number) }))
    .sort((a, b) => b.parts[0]! - a.parts[0]! || b.parts[1]! - a.parts[1]! || b.parts[2]! - a.parts[2]!);
  for (const entry of versions) {
    const candidate = join(directory, entry.name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
