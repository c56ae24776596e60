// Shared tsup settings: every package builds ESM + .d.ts from src/ into dist/.
export function packageConfig(entry, overrides = {}) {
  return {
    entry,
    format: ['esm'],
    dts: true,
    clean: true,
    sourcemap: false,
    target: 'node20',
    platform: 'node',
    splitting: false,
    ...overrides,
  };
}
