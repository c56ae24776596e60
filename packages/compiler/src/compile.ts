import { createHash } from 'node:crypto';
import { InvalidRequestError } from '@jsbox/core';
import { CompileCache } from './compile-cache.js';
import {
  type CompileOptions,
  type ResolvedCompileOptions,
  resolveCompileOptions,
} from './compile-options.js';
import type { CompileResult } from './compile-result.js';
import { componentizeCommand } from './component.js';
import { type EnginePlugin, getEnginePlugin } from './engine-plugin.js';
import { compileWithJavy, javyIdentity } from './javy-engine.js';
import { rejectStaticImports } from './module-imports.js';
import { PluginCompiler } from './plugin-compiler.js';
import { checkSourceText } from './source-checks.js';
import { transpileTypeScript } from './typescript.js';
import { COMPILER_VERSION } from './version.js';
import { buildDynamicModule } from './wasm/dynamic-module.js';
import { buildStaticModule } from './wasm/static-module.js';

/** Bump when the produced bytes change for the same inputs, so stale cache entries are not reused. */
const OUTPUT_LAYOUT = 'jsbox-compiler-output-1';

/** Exports a component keeps from the plugin: the command adapter needs only these. */
const COMPONENT_EXPORTS = ['memory', 'cabi_realloc'];

const PRODUCERS = {
  language: [['JavaScript', 'ES2023']],
  'processed-by': [['jsbox-compiler', COMPILER_VERSION]],
} as const;

/** The process-wide default in-memory cache (used unless `cache` is `false` or a cache instance). */
export const defaultCompileCache = new CompileCache();
const directoryCaches = new Map<string, CompileCache>();
const pluginCompilers = new Map<string, PluginCompiler>();

/**
 * Compiles JavaScript (or TypeScript) to a WebAssembly module in Javy's conventions.
 *
 * Host misuse (bad options, missing plugin or tool) throws a typed `JsboxError`; a source that
 * does not compile throws `CompileError` with a 1-based line and column.
 *
 * @example
 * import { compile } from '@jsbox/compiler';
 * const { bytes, namespace } = await compile('console.log("hi")'); // dynamic module, ~200 bytes + bytecode
 * const standalone = await compile('console.log("hi")', { format: 'static' }); // runs with `wasmtime run`
 */
export async function compile(source: string, options: CompileOptions = {}): Promise<CompileResult> {
  const resolved = resolveCompileOptions(options);
  checkSource(source, resolved.maxCodeBytes);
  const plugin = resolved.engine === 'jsbox' ? (resolved.plugin ?? getEnginePlugin()) : undefined;
  const cache = pickCache(resolved);
  const key = cache
    ? CompileCache.key([
        OUTPUT_LAYOUT,
        plugin ? `jsbox:${plugin.sha256}` : await javyIdentity(resolved.javyPath),
        JSON.stringify([
          resolved.format,
          resolved.language,
          resolved.filename,
          resolved.embedSource,
          resolved.engine,
        ]),
        source,
      ])
    : undefined;
  if (cache && key) {
    const hit = await cache.get(key);
    if (hit) return hit;
  }
  const result = await compileUncached(source, resolved, plugin);
  if (cache && key) await cache.set(key, result);
  return result;
}

/** Throws `InvalidRequestError` unless `source` is a string within `maxCodeBytes` of valid text. */
function checkSource(source: unknown, maxCodeBytes: number): asserts source is string {
  if (typeof source !== 'string') {
    throw new InvalidRequestError([
      { path: 'source', message: 'the source must be a string of JavaScript or TypeScript' },
    ]);
  }
  checkSourceText(source, maxCodeBytes);
}

/** TypeScript transpiled (with its source map), static imports refused: the JavaScript to compile. */
async function prepareJavaScript(
  source: string,
  options: Pick<ResolvedCompileOptions, 'language' | 'filename'>,
): Promise<{ javascript: string; sourceMap: string | undefined }> {
  const typescript = options.language === 'typescript';
  const transpiled = typescript ? transpileTypeScript(source, { filename: options.filename }) : undefined;
  await rejectStaticImports(source, typescript ? 'ts' : 'js', options.filename);
  return { javascript: transpiled ? transpiled.code : source, sourceMap: transpiled?.sourceMap };
}

async function compileUncached(
  source: string,
  options: ResolvedCompileOptions,
  plugin: EnginePlugin | undefined,
): Promise<CompileResult> {
  const { javascript, sourceMap } = await prepareJavaScript(source, options);
  const embedded = options.embedSource ? javascript : undefined;

  let bytes: Uint8Array;
  let namespace: string;
  let bytecodeBytes: number | null;
  if (plugin) {
    const bytecode = pluginCompiler(plugin).compile(javascript, options.filename);
    namespace = plugin.namespace;
    bytecodeBytes = bytecode.length;
    if (options.format === 'dynamic') {
      bytes = buildDynamicModule({
        bytecode,
        namespace,
        producers: PRODUCERS,
        ...optional('source', embedded),
      });
    } else {
      const keepExports = options.format === 'component' ? COMPONENT_EXPORTS : undefined;
      bytes = buildStaticModule({
        plugin: plugin.bytes,
        bytecode,
        producers: PRODUCERS,
        ...optional('source', embedded),
        ...optional('keepExports', keepExports),
      });
    }
  } else {
    const javy = await compileWithJavy(javascript, {
      dynamic: options.format === 'dynamic',
      embedSource: options.embedSource,
      javyPath: options.javyPath,
      timeoutMs: options.javyTimeoutMs,
    });
    bytes = javy.bytes;
    namespace = javy.namespace;
    bytecodeBytes = javy.bytecodeBytes;
  }
  if (options.format === 'component') bytes = await componentizeCommand(bytes);
  return {
    bytes,
    format: options.format,
    namespace,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    sizes: { source: Buffer.byteLength(source, 'utf8'), bytecode: bytecodeBytes, module: bytes.length },
    ...optional('sourceMap', sourceMap),
  };
}

/** A program compiled for the engine plugin's `invoke`, with no module around it. */
export interface CompiledProgram {
  /** QuickJS bytecode: what a dynamic module embeds, and what the program loader runs. */
  bytecode: Uint8Array;
  /** The plugin namespace the bytecode is for. */
  namespace: string;
  /** Source map of a TypeScript source (to map guest stack traces back). */
  sourceMap?: string;
}

/**
 * Compiles JavaScript or TypeScript to the jsbox plugin's bytecode, with the same checks,
 * TypeScript transpile and import rejection as {@link compile}, but builds no module: for hosts
 * that run programs through the program loader (`buildLoaderModule`), so a new source costs no
 * wasm compile. Throws `CompileError` for a source that does not compile.
 *
 * @example
 * const { bytecode } = await compileProgram('console.log("hi")');
 */
export async function compileProgram(
  source: string,
  options: Pick<CompileOptions, 'language' | 'filename' | 'maxCodeBytes' | 'plugin'> = {},
): Promise<CompiledProgram> {
  const resolved = resolveCompileOptions(options);
  checkSource(source, resolved.maxCodeBytes);
  const plugin = resolved.plugin ?? getEnginePlugin();
  const { javascript, sourceMap } = await prepareJavaScript(source, resolved);
  return {
    bytecode: pluginCompiler(plugin).compile(javascript, resolved.filename),
    namespace: plugin.namespace,
    ...optional('sourceMap', sourceMap),
  };
}

/**
 * Compiles JavaScript to raw QuickJS bytecode with the engine plugin (no module around it).
 * Throws `CompileError` on a syntax error.
 */
export function compileToBytecode(
  javascript: string,
  options: { filename?: string; plugin?: EnginePlugin } = {},
): Uint8Array {
  return pluginCompiler(options.plugin ?? getEnginePlugin()).compile(
    javascript,
    options.filename ?? 'main.js',
  );
}

function pluginCompiler(plugin: EnginePlugin): PluginCompiler {
  let compiler = pluginCompilers.get(plugin.sha256);
  if (!compiler) {
    if (pluginCompilers.size >= 4) pluginCompilers.clear();
    compiler = new PluginCompiler(plugin);
    pluginCompilers.set(plugin.sha256, compiler);
  }
  return compiler;
}

function pickCache(options: ResolvedCompileOptions): CompileCache | undefined {
  if (options.cache === false) return undefined;
  if (options.cache !== true) return options.cache;
  if (!options.cacheDirectory) return defaultCompileCache;
  let cache = directoryCaches.get(options.cacheDirectory);
  if (!cache) {
    cache = new CompileCache({ directory: options.cacheDirectory });
    directoryCaches.set(options.cacheDirectory, cache);
  }
  return cache;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
