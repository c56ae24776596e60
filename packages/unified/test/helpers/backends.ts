import { BACKEND_CHOICES } from '../../src/index.js';
import { BACKENDS } from '../../src/registry.js';

/**
 * Backends the suites run against: `JSBOX_TEST_BACKENDS` (comma separated) when set, else every
 * backend available here. On CI (`CI=true`) a backend that is unavailable fails loudly instead of
 * being skipped, so a missing wasmtime library can never turn the suite silently green.
 */
export async function testBackends(): Promise<string[]> {
  const requested = process.env.JSBOX_TEST_BACKENDS?.split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  for (const name of requested ?? []) {
    if (!BACKEND_CHOICES.includes(name as never) || name === 'auto')
      throw new Error(`JSBOX_TEST_BACKENDS: unknown backend ${name}`);
  }
  const names: string[] = [];
  for (const entry of BACKENDS) {
    if (requested && !requested.includes(entry.name)) continue;
    const status = await entry.check();
    if (status.available) names.push(entry.name);
    else if (requested || process.env.CI === 'true') {
      throw new Error(`backend ${entry.name} is unavailable: ${status.reason}. ${status.hint}`);
    }
  }
  return names;
}
