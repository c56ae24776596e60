// Shared vitest settings: every package's tests live in test/ and run in forks (some load wasm/FFI).
export function testConfig(overrides = {}) {
  return {
    test: {
      include: ['test/**/*.test.ts'],
      pool: 'forks',
      testTimeout: 30_000,
      hookTimeout: 60_000,
      ...overrides,
    },
  };
}
