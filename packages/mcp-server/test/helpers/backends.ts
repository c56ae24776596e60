/** Backends the end-to-end tests run against: `JSBOX_TEST_BACKENDS` (comma-separated), default quickjs. */
export function testBackends(): string[] {
  const raw = process.env.JSBOX_TEST_BACKENDS?.trim();
  const names = (raw ? raw.split(',') : ['quickjs']).map((name) => name.trim()).filter(Boolean);
  return [...new Set(names)];
}
