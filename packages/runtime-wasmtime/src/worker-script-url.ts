/**
 * URL of a built worker script (`dist/<name>.js`). Workers must be plain JavaScript, so when
 * this code runs from TypeScript sources (tests), the built copy next to them is used.
 */
export function workerScriptUrl(name: 'engine-host-worker' | 'execution-worker'): URL {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return new URL(`../dist/${name}.js`, here);
  return new URL(`./${name}.js`, here);
}
