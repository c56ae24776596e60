import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CompileError, JsboxError } from '@jsbox/core';
import { compile } from './compile.js';
import type { CompileOptions } from './compile-options.js';
import { getEnginePlugin } from './engine-plugin.js';
import { COMPILER_VERSION } from './version.js';

/** Exit codes of the `jsbox` CLI. */
export const CLI_EXIT_CODES = {
  ok: 0,
  /** The source does not compile (syntax error, unresolved import, empty, too large...). */
  compileError: 1,
  /** Bad command line. */
  usage: 2,
  /** Something the compiler needs is missing (engine plugin, javy, jco) or a file cannot be read/written. */
  environment: 3,
  /** A bug in jsbox. */
  internal: 70,
} as const;

/** Where the CLI writes; `process.stdout`/`process.stderr` in real use. */
export interface CliStreams {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

const USAGE = `Usage: jsbox compile <input.js|input.ts> -o <output.wasm> [options]
       jsbox compile --emit-plugin <plugin.wasm>

Compiles JavaScript or TypeScript to a WebAssembly module in Javy's conventions.

Options:
  -o, --output <file>        where to write the module (required unless only --emit-plugin)
  -f, --format <format>      dynamic (default; needs the engine plugin at run time),
                             static (self-contained WASI command), component (WASI preview2)
  -l, --language <language>  javascript | typescript (default: from the file extension)
      --embed-source         embed the compiled JavaScript as the javy_source custom section
      --emit-plugin <file>   also write the engine plugin (needed to run dynamic modules)
      --filename <name>      file name shown in stack traces (default main.js / main.ts)
      --max-code-bytes <n>   cap on the source size in bytes
      --engine <engine>      jsbox (default) | javy (shells out to a javy binary)
      --javy-path <file>     javy binary to use with --engine javy
      --cache-dir <dir>      cache compile results in this directory
  -q, --quiet                print nothing but errors
  -h, --help                 show this help
  -v, --version              show the version

Run a dynamic module:  wasmtime run --preload jsbox-engine-v1=plugin.wasm out.wasm
Run a static module:   wasmtime run out.wasm
Exit codes: 0 ok, 1 compile error, 2 usage error, 3 missing tool or unreadable/unwritable file, 70 internal error.
`;

class UsageError extends Error {}

/**
 * Runs the `jsbox` CLI with `argv` (without the node and script paths) and returns the exit code.
 * Nothing but `--help`/`--version` text goes to stdout; progress and errors go to stderr.
 */
export async function runCli(argv: readonly string[], streams: CliStreams): Promise<number> {
  let values: ReturnType<typeof parseCommandLine>['values'];
  let positionals: string[];
  try {
    ({ values, positionals } = parseCommandLine(argv));
  } catch (error) {
    return usageFailure(streams, (error as Error).message);
  }
  if (values.help) {
    streams.stdout.write(USAGE);
    return CLI_EXIT_CODES.ok;
  }
  if (values.version) {
    streams.stdout.write(`${COMPILER_VERSION}\n`);
    return CLI_EXIT_CODES.ok;
  }
  try {
    const [command, input, ...extra] = positionals;
    if (command !== 'compile') {
      throw new UsageError(
        command === undefined ? 'missing command' : `unknown command ${JSON.stringify(command)}`,
      );
    }
    if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
    const info = (text: string) => {
      if (!values.quiet) streams.stderr.write(`${text}\n`);
    };
    if (values['emit-plugin'] !== undefined) {
      const plugin = getEnginePlugin();
      await writeAtomically(values['emit-plugin'], plugin.bytes);
      info(
        `jsbox: wrote engine plugin ${values['emit-plugin']} (${plugin.bytes.length} bytes, namespace ${plugin.namespace})`,
      );
    }
    if (input === undefined) {
      if (values['emit-plugin'] !== undefined && values.output === undefined) return CLI_EXIT_CODES.ok;
      throw new UsageError('missing input file');
    }
    if (values.output === undefined) throw new UsageError('missing --output <file>');
    const source = await readSource(input);
    const options = compileOptionsFrom(values, input);
    const started = performance.now();
    const result = await compile(source, options);
    await writeAtomically(values.output, result.bytes);
    const elapsed = (performance.now() - started).toFixed(1);
    info(
      `jsbox: wrote ${values.output} (${result.format}, ${result.sizes.module} bytes` +
        `${result.sizes.bytecode === null ? '' : `, bytecode ${result.sizes.bytecode} bytes`}) in ${elapsed} ms`,
    );
    if (result.format === 'dynamic') {
      info(`jsbox: run it with: wasmtime run --preload ${result.namespace}=<plugin.wasm> ${values.output}`);
    }
    return CLI_EXIT_CODES.ok;
  } catch (error) {
    return reportFailure(streams, error);
  }
}

function parseCommandLine(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      output: { type: 'string', short: 'o' },
      format: { type: 'string', short: 'f' },
      language: { type: 'string', short: 'l' },
      'embed-source': { type: 'boolean' },
      'emit-plugin': { type: 'string' },
      filename: { type: 'string' },
      'max-code-bytes': { type: 'string' },
      engine: { type: 'string' },
      'javy-path': { type: 'string' },
      'cache-dir': { type: 'string' },
      quiet: { type: 'boolean', short: 'q' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
}

function compileOptionsFrom(
  values: ReturnType<typeof parseCommandLine>['values'],
  input: string,
): CompileOptions {
  const options: Record<string, unknown> = {};
  if (values.format !== undefined) options.format = values.format;
  const extension = extname(input).toLowerCase();
  options.language =
    values.language ?? (['.ts', '.mts', '.cts'].includes(extension) ? 'typescript' : 'javascript');
  if (values['embed-source']) options.embedSource = true;
  if (values.filename !== undefined) options.filename = values.filename;
  if (values['max-code-bytes'] !== undefined) {
    const bytes = Number(values['max-code-bytes']);
    if (!/^\d+$/.test(values['max-code-bytes']))
      throw new UsageError('--max-code-bytes must be a whole number of bytes');
    options.maxCodeBytes = bytes;
  }
  if (values.engine !== undefined) options.engine = values.engine;
  if (values['javy-path'] !== undefined) options.javyPath = resolve(values['javy-path']);
  if (values['cache-dir'] !== undefined) options.cacheDirectory = resolve(values['cache-dir']);
  return options as CompileOptions;
}

async function readSource(path: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new FileError(
      `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CompileError(`${path} is not valid UTF-8 text`);
  }
}

class FileError extends Error {}

async function writeAtomically(path: string, bytes: Uint8Array): Promise<void> {
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, bytes);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw new FileError(
      `cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}

function usageFailure(streams: CliStreams, message: string): number {
  streams.stderr.write(`jsbox: ${message}\nRun \`jsbox --help\` for usage.\n`);
  return CLI_EXIT_CODES.usage;
}

function reportFailure(streams: CliStreams, error: unknown): number {
  if (error instanceof UsageError) return usageFailure(streams, error.message);
  if (error instanceof FileError) {
    streams.stderr.write(`jsbox: ${error.message}\n`);
    return CLI_EXIT_CODES.environment;
  }
  if (CompileError.isInstance(error)) {
    streams.stderr.write(`jsbox: compile error: ${error.message}\n`);
    return CLI_EXIT_CODES.compileError;
  }
  if (JsboxError.isInstance(error)) {
    streams.stderr.write(`jsbox: ${error.message}\n`);
    if (error.code === 'invalid_options' || error.code === 'invalid_request') return CLI_EXIT_CODES.usage;
    if (error.code === 'backend_unavailable') return CLI_EXIT_CODES.environment;
    return CLI_EXIT_CODES.internal;
  }
  streams.stderr.write(`jsbox: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
  return CLI_EXIT_CODES.internal;
}
