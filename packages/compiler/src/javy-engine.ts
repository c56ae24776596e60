import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompileError } from '@jsbox/core';
import { JavyUnavailableError } from './errors.js';
import { findJavy } from './javy-binary.js';
import { BinaryReader } from './wasm/binary-reader.js';
import { SectionId } from './wasm/format.js';
import { readImports, readSections } from './wasm/module-reader.js';

/** Output of {@link compileWithJavy}. */
export interface JavyOutput {
  bytes: Uint8Array;
  /** The namespace the module imports the Javy plugin under (dynamic only). */
  namespace: string;
  /** Size of the bytecode segment, when it can be told (dynamic modules). */
  bytecodeBytes: number | null;
}

/** Options of {@link compileWithJavy}. */
export interface JavyCompileOptions {
  dynamic: boolean;
  embedSource: boolean;
  javyPath: string | undefined;
  timeoutMs: number;
}

/** Identifies the javy binary for cache keys: path, size and mtime (cheap; no hashing of a large binary). */
export async function javyIdentity(javyPath: string | undefined): Promise<string> {
  const found = findJavy(javyPath);
  if (typeof found === 'string') throw new JavyUnavailableError(found);
  const info = await stat(found.path);
  return `javy:${found.path}:${info.size}:${info.mtimeMs}`;
}

/**
 * Compiles JavaScript with a real `javy` CLI (`javy build` with `-C` options; dynamic builds name
 * the plugin written by `javy emit-plugin` when that command exists).
 * Throws {@link JavyUnavailableError} at once when no binary is found or it cannot start, and
 * {@link CompileError} when javy rejects the source. The child is killed after `timeoutMs`.
 */
export async function compileWithJavy(source: string, options: JavyCompileOptions): Promise<JavyOutput> {
  const found = findJavy(options.javyPath);
  if (typeof found === 'string') throw new JavyUnavailableError(found);
  const directory = await mkdtemp(join(tmpdir(), 'jsbox-javy-'));
  try {
    const input = join(directory, 'main.js');
    const output = join(directory, 'main.wasm');
    await writeFile(input, source, 'utf8');
    const args = [
      'build',
      input,
      '-o',
      output,
      '-C',
      `source=${options.embedSource ? 'compressed' : 'omitted'}`,
    ];
    if (options.dynamic) {
      args.push('-C', 'dynamic');
      // recent javy versions want the plugin named for dynamic builds; older ones lack emit-plugin
      const plugin = join(directory, 'plugin.wasm');
      const emitted = await run(found.path, ['emit-plugin', '-o', plugin], options.timeoutMs).then(
        () => true,
        (error: unknown) => {
          if (CompileError.isInstance(error)) return false;
          throw error;
        },
      );
      if (emitted) args.push('-C', `plugin=${plugin}`);
    }
    await run(found.path, args, options.timeoutMs);
    const bytes = new Uint8Array(await readFile(output));
    return { bytes, ...describeJavyModule(bytes, options.dynamic) };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

function run(path: string, args: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      path,
      args,
      { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 4 * 1024 * 1024, windowsHide: true },
      (error, _stdout, stderr) => {
        if (!error) return resolve();
        const failure = error as NodeJS.ErrnoException & { killed?: boolean; code?: string | number };
        if (typeof failure.code === 'string') {
          return reject(
            new JavyUnavailableError(`javy at ${path} could not be started (${failure.code})`, {
              cause: error,
            }),
          );
        }
        if (failure.killed) {
          return reject(
            new JavyUnavailableError(`javy did not finish within ${timeoutMs} ms and was killed`, {
              cause: error,
            }),
          );
        }
        reject(
          new CompileError(
            `javy rejected the source: ${String(stderr).trim() || error.message}`,
            {},
            { cause: error },
          ),
        );
      },
    );
  });
}

function describeJavyModule(bytes: Uint8Array, dynamic: boolean): Omit<JavyOutput, 'bytes'> {
  if (!dynamic) return { namespace: '', bytecodeBytes: null };
  const sections = readSections(bytes);
  const imports = sections.find((section) => section.id === SectionId.import);
  const namespace = imports
    ? (readImports(imports.payload).find((entry) => entry.name === 'invoke')?.module ?? '')
    : '';
  const data = sections.find((section) => section.id === SectionId.data);
  let bytecodeBytes: number | null = null;
  if (data) {
    const reader = new BinaryReader(data.payload);
    // a dynamic Javy module has one passive segment: the bytecode
    if (reader.u32() === 1 && reader.u32() === 1) bytecodeBytes = reader.u32();
  }
  return { namespace, bytecodeBytes };
}
