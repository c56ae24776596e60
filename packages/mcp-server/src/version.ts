import { createRequire } from 'node:module';

/** Name and version of this package, read from its package.json (one level above src/ and dist/). */
export const SERVER_PACKAGE: { name: string; version: string } = (() => {
  const manifest = createRequire(import.meta.url)('../package.json') as { name: string; version: string };
  return { name: manifest.name, version: manifest.version };
})();
