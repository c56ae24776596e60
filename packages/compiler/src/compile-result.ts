/** The module shapes the compiler can produce. */
export type ModuleFormat = 'dynamic' | 'static' | 'component';

/** The formats, for validation and help texts. */
export const MODULE_FORMATS: readonly ModuleFormat[] = ['dynamic', 'static', 'component'];

/** What {@link compile} returns. */
export interface CompileResult {
  /** The WebAssembly module (or component) bytes. */
  bytes: Uint8Array;
  /** Which shape `bytes` has. */
  format: ModuleFormat;
  /** The engine plugin's import namespace: dynamic modules import `cabi_realloc`, `invoke`, `memory` from it. */
  namespace: string;
  /** Hex sha256 of `bytes`. */
  sha256: string;
  /** Sizes in bytes. `bytecode` is `null` when the engine does not expose it (javy's static modules). */
  sizes: { source: number; bytecode: number | null; module: number };
  /** For TypeScript: the source map (v3 JSON text) from the compiled JavaScript back to the TypeScript source. */
  sourceMap?: string;
}
