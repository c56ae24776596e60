import { InvalidRequestError } from '@jsbox/core';

/** Why {@link runModule} refused a module or plugin. */
export type ModuleRejection = 'not_wasm' | 'imports' | 'plugin_namespace' | 'plugin_missing';

/**
 * A module or plugin given to `runModule` cannot run in the sandbox: not a core WebAssembly
 * module, imports beyond WASI preview1 and the plugin, or a plugin of another namespace.
 * Its `code` is `invalid_request`.
 */
export class ModuleRejectedError extends InvalidRequestError {
  readonly reason: ModuleRejection;
  constructor(reason: ModuleRejection, path: 'module' | 'plugin', message: string) {
    super([{ path, message }]);
    this.name = 'ModuleRejectedError';
    this.reason = reason;
  }
}
