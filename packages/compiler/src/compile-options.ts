import { InvalidOptionsError, LIMIT_BOUNDS, PRESETS, validationIssuesFromZod } from '@jsbox/core';
import { z } from 'zod';
import type { CompileCache } from './compile-cache.js';
import { MODULE_FORMATS, type ModuleFormat } from './compile-result.js';
import type { EnginePlugin } from './engine-plugin.js';

/** Source languages {@link compile} accepts. */
export type SourceLanguage = 'javascript' | 'typescript';

/** Engines that can produce bytecode: jsbox's own plugin, or a real `javy` CLI. */
export type CompilerEngine = 'jsbox' | 'javy';

/** Options of {@link compile}. Every field is optional. */
export interface CompileOptions {
  /** Module shape (default `dynamic`): tiny module needing the plugin, self-contained module, or WASI preview2 component. */
  format?: ModuleFormat;
  /** `typescript` strips types with esbuild before compiling (types are not checked). Default `javascript`. */
  language?: SourceLanguage;
  /** File name shown in stack traces (default `main.js` / `main.ts`); letters, digits and `. _ - / < >`, as in core's requests. */
  filename?: string;
  /** Embed the compiled JavaScript, brotli-compressed, as the `javy_source` custom section. Default false. */
  embedSource?: boolean;
  /** Cap on the UTF-8 size of the source (default: the `default` preset's `maxCodeBytes`). */
  maxCodeBytes?: number;
  /** Bytecode engine (default `jsbox`). `javy` shells out to a javy binary and produces Javy's modules. */
  engine?: CompilerEngine;
  /** Path of the javy binary (else JAVY_PATH, PATH, the javy-cli download cache). */
  javyPath?: string;
  /** Kill a javy child process after this long (default 60 000 ms). */
  javyTimeoutMs?: number;
  /** `false` disables caching; a {@link CompileCache} uses that cache; default: a process-wide in-memory cache. */
  cache?: boolean | CompileCache;
  /** Also cache compile results as files in this directory (shared between processes). */
  cacheDirectory?: string;
  /** Use this engine plugin instead of the packaged one (see `describeEnginePlugin`). */
  plugin?: EnginePlugin;
}

/** {@link CompileOptions} with defaults applied. */
export interface ResolvedCompileOptions {
  format: ModuleFormat;
  language: SourceLanguage;
  filename: string;
  embedSource: boolean;
  maxCodeBytes: number;
  engine: CompilerEngine;
  javyPath: string | undefined;
  javyTimeoutMs: number;
  cache: boolean | CompileCache;
  cacheDirectory: string | undefined;
  plugin: EnginePlugin | undefined;
}

const looksLikeCache = (value: unknown): value is CompileCache =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as CompileCache).get === 'function' &&
  typeof (value as CompileCache).set === 'function';

const looksLikePlugin = (value: unknown): value is EnginePlugin =>
  typeof value === 'object' &&
  value !== null &&
  (value as EnginePlugin).bytes instanceof Uint8Array &&
  typeof (value as EnginePlugin).namespace === 'string' &&
  typeof (value as EnginePlugin).sha256 === 'string';

const optionsSchema = z
  .object({
    format: z.enum(['dynamic', 'static', 'component'], {
      error: (issue) =>
        `unknown format ${JSON.stringify(issue.input)}; valid formats: ${MODULE_FORMATS.join(', ')}`,
    }),
    language: z.enum(['javascript', 'typescript'], {
      error: (issue) =>
        `unknown language ${JSON.stringify(issue.input)}; valid languages: javascript, typescript`,
    }),
    filename: z
      .string({ error: 'filename must be a string' })
      .regex(
        /^[\w.\-/<>]{1,200}$/,
        "filename must be 1-200 characters of letters, digits, '.', '_', '-', '/', '<', '>'",
      ),
    embedSource: z.boolean({ error: 'embedSource must be true or false' }),
    maxCodeBytes: z
      .number({ error: 'maxCodeBytes must be a number of bytes' })
      .int('maxCodeBytes must be a whole number of bytes')
      .min(
        LIMIT_BOUNDS.maxCodeBytes.min,
        `maxCodeBytes must be at least ${LIMIT_BOUNDS.maxCodeBytes.min} bytes`,
      )
      .max(
        LIMIT_BOUNDS.maxCodeBytes.max,
        `maxCodeBytes must be at most ${LIMIT_BOUNDS.maxCodeBytes.max} bytes`,
      ),
    engine: z.enum(['jsbox', 'javy'], {
      error: (issue) => `unknown engine ${JSON.stringify(issue.input)}; valid engines: jsbox, javy`,
    }),
    javyPath: z.string({ error: 'javyPath must be a path' }).min(1, 'javyPath must not be empty'),
    javyTimeoutMs: z
      .number({ error: 'javyTimeoutMs must be a number of milliseconds' })
      .int('javyTimeoutMs must be a whole number of milliseconds')
      .min(100, 'javyTimeoutMs must be at least 100 milliseconds')
      .max(600_000, 'javyTimeoutMs must be at most 600000 milliseconds'),
    cache: z.union([z.boolean(), z.custom<CompileCache>(looksLikeCache)], {
      error: 'cache must be true, false or a CompileCache',
    }),
    cacheDirectory: z
      .string({ error: 'cacheDirectory must be a path' })
      .min(1, 'cacheDirectory must not be empty'),
    plugin: z.custom<EnginePlugin>(looksLikePlugin, {
      error: 'plugin must be an EnginePlugin (from getEnginePlugin or describeEnginePlugin)',
    }),
  })
  .partial()
  .strict();

/**
 * Validates compile options and applies defaults. Throws {@link InvalidOptionsError} listing
 * every problem (unknown keys included).
 */
export function resolveCompileOptions(options: CompileOptions = {}): ResolvedCompileOptions {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new InvalidOptionsError(validationIssuesFromZod(parsed.error));
  }
  const value = parsed.data;
  const language = value.language ?? 'javascript';
  return {
    format: value.format ?? 'dynamic',
    language,
    filename: value.filename ?? (language === 'typescript' ? 'main.ts' : 'main.js'),
    embedSource: value.embedSource ?? false,
    maxCodeBytes: value.maxCodeBytes ?? PRESETS.default.maxCodeBytes,
    engine: value.engine ?? 'jsbox',
    javyPath: value.javyPath,
    javyTimeoutMs: value.javyTimeoutMs ?? 60_000,
    cache: value.cache ?? true,
    cacheDirectory: value.cacheDirectory,
    plugin: value.plugin,
  };
}
