import { BackendUnavailableError } from '@jsbox/core';

const KIND = Symbol.for('@jsbox/compiler.error-kind');

type CompilerErrorKind = 'engine_plugin_missing' | 'javy_unavailable' | 'jco_unavailable';

function hasKind(value: unknown, kind: CompilerErrorKind): boolean {
  return (
    BackendUnavailableError.isInstance(value) && (value as unknown as Record<symbol, unknown>)[KIND] === kind
  );
}

/**
 * The engine plugin (`plugin/jsbox-engine.wasm`) is not where this package expects it, is not a
 * plugin, or does not match the sha256 its manifest (`plugin/jsbox-engine.json`) records.
 * Contributors run the package build; users reinstall the package.
 */
export class EnginePluginMissingError extends BackendUnavailableError {
  readonly [KIND]: CompilerErrorKind = 'engine_plugin_missing';
  /** Where the plugin was looked for. */
  readonly path: string;
  constructor(path: string, reason: string, options?: { cause?: unknown }) {
    super(
      'jsbox-engine',
      `${reason} (${path})`,
      'In a jsbox checkout, run `pnpm --filter @jsbox/compiler build` to build the engine plugin; ' +
        'as a user, reinstall @jsbox/compiler (the published package ships the plugin).',
      options,
    );
    this.name = 'EnginePluginMissingError';
    this.path = path;
  }
  /** True for this error from any copy of the package. */
  static override isInstance(value: unknown): value is EnginePluginMissingError {
    return hasKind(value, 'engine_plugin_missing');
  }
}

/** `engine: 'javy'` was asked for but no usable `javy` binary was found or it failed to start. */
export class JavyUnavailableError extends BackendUnavailableError {
  readonly [KIND]: CompilerErrorKind = 'javy_unavailable';
  constructor(reason: string, options?: { cause?: unknown }) {
    super(
      'javy',
      reason,
      'Install the javy CLI and pass its path as `javyPath` (CLI: --javy-path), set JAVY_PATH, or put `javy` on PATH; ' +
        "or use the default engine ('jsbox'), which needs no external tool.",
      options,
    );
    this.name = 'JavyUnavailableError';
  }
  /** True for this error from any copy of the package. */
  static override isInstance(value: unknown): value is JavyUnavailableError {
    return hasKind(value, 'javy_unavailable');
  }
}

/** `format: 'component'` needs the optional peer dependency `@bytecodealliance/jco`, which is not installed. */
export class JcoUnavailableError extends BackendUnavailableError {
  readonly [KIND]: CompilerErrorKind = 'jco_unavailable';
  constructor(reason: string, options?: { cause?: unknown }) {
    super(
      'jco',
      reason,
      "Install it next to @jsbox/compiler (`npm install @bytecodealliance/jco`) or pick format 'dynamic' or 'static'.",
      options,
    );
    this.name = 'JcoUnavailableError';
  }
  /** True for this error from any copy of the package. */
  static override isInstance(value: unknown): value is JcoUnavailableError {
    return hasKind(value, 'jco_unavailable');
  }
}
