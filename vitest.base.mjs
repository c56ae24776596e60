// Shared vitest settings: every package's tests live in test/ and run in forks (some load wasm/FFI).
// A JSON report per package lets scripts/test.mjs print one closing "N passed, N failed" line.
export function testConfig(overrides = {}) {
  return {
    test: {
      include: ['test/**/*.test.ts'],
      pool: 'forks',
      testTimeout: 30_000,
      hookTimeout: 60_000,
      reporters: ['default', 'json'],
      outputFile: { json: '.vitest-report.json' },
      ...overrides,
    },
  };
}
