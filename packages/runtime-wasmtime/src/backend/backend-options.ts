import { type BackendOptions, InvalidOptionsError, type ValidationIssue } from '@jsbox/core';
import type { LibraryLocationOptions } from '../library-location.js';

/** Options of {@link createWasmtimeBackend}. */
export interface WasmtimeBackendOptions extends BackendOptions, LibraryLocationOptions {
  /**
   * Directory of the compiled-plugin cache. Default: `$XDG_CACHE_HOME/jsbox` or `~/.cache/jsbox`.
   * `false` disables the disk cache (the plugin is then compiled once per backend, ~0.5 s).
   */
  cacheDirectory?: string | false;
  /**
   * Fuel metering (wasmtime's `consume_fuel`). Default `true`. `false` builds an engine without
   * it: the `fuel` limit is ignored, `fuelConsumed` is 0 and only the epoch deadline bounds CPU
   * time. Meant for measuring what metering costs (docs/benchmarks.md), not for untrusted code.
   */
  meterFuel?: boolean;
}

/** Validates factory options; throws `InvalidOptionsError` listing every problem. */
export function validateBackendOptions(options: WasmtimeBackendOptions): void {
  const issues: ValidationIssue[] = [];
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionsError([{ path: '', message: 'options must be an object' }]);
  }
  const wholeNumber = (name: 'poolSize' | 'maxQueued', min: number) => {
    const value = options[name];
    if (value !== undefined && (!Number.isInteger(value) || value < min)) {
      issues.push({ path: name, message: `${name} must be a whole number >= ${min}` });
    }
  };
  wholeNumber('poolSize', 1);
  wholeNumber('maxQueued', 0);
  if (
    options.libraryPath !== undefined &&
    (typeof options.libraryPath !== 'string' || options.libraryPath === '')
  ) {
    issues.push({ path: 'libraryPath', message: 'libraryPath must be the path of libwasmtime' });
  }
  const cache = options.cacheDirectory;
  if (cache !== undefined && cache !== false && (typeof cache !== 'string' || cache === '')) {
    issues.push({ path: 'cacheDirectory', message: 'cacheDirectory must be a directory path or false' });
  }
  if (options.meterFuel !== undefined && typeof options.meterFuel !== 'boolean') {
    issues.push({ path: 'meterFuel', message: 'meterFuel must be true or false' });
  }
  if (issues.length > 0) throw new InvalidOptionsError(issues);
}
