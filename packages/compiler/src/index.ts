export {
  type CompiledProgram,
  compile,
  compileProgram,
  compileToBytecode,
  defaultCompileCache,
} from './compile.js';
export { CompileCache, type CompileCacheOptions } from './compile-cache.js';
export type {
  CompileOptions,
  CompilerEngine,
  ResolvedCompileOptions,
  SourceLanguage,
} from './compile-options.js';
export { resolveCompileOptions } from './compile-options.js';
export { type CompileResult, MODULE_FORMATS, type ModuleFormat } from './compile-result.js';
export { componentizeCommand } from './component.js';
export {
  describeEnginePlugin,
  type EnginePlugin,
  enginePluginDirectory,
  getEnginePlugin,
} from './engine-plugin.js';
export { EnginePluginMissingError, JavyUnavailableError, JcoUnavailableError } from './errors.js';
export { findJavy, type JavyLocation } from './javy-binary.js';
export { mapStackToSource, type OriginalPosition, type RawSourceMap, SourceMapper } from './source-map.js';
export {
  type TranspiledTypeScript,
  type TranspileTypeScriptOptions,
  transpileTypeScript,
} from './typescript.js';
export { COMPILER_VERSION } from './version.js';
export { buildDynamicModule, type DynamicModuleOptions } from './wasm/dynamic-module.js';
export { buildLoaderModule, LOADER_RUN_EXPORT } from './wasm/loader-module.js';
export { buildStaticModule, type StaticModuleOptions } from './wasm/static-module.js';
