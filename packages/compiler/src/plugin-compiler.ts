import { CompileError, InternalError } from '@jsbox/core';
import { createCompileWasiImports } from './compile-wasi-imports.js';
import type { EnginePlugin } from './engine-plugin.js';

/** Replace the instance once its memory grows past this: compile results are never freed inside it. */
const RECYCLE_MEMORY_BYTES = 256 * 1024 * 1024;

interface PluginExports {
  memory: WebAssembly.Memory;
  cabi_realloc(originalPointer: number, originalSize: number, align: number, newSize: number): number;
  'jsbox-compile'?: (
    sourcePointer: number,
    sourceLength: number,
    namePointer: number,
    nameLength: number,
  ) => number;
  'compile-src'(sourcePointer: number, sourceLength: number): number;
}

interface ErrorPayload {
  name?: unknown;
  message?: unknown;
  line?: unknown;
  column?: unknown;
}

const utf8Decoder = new TextDecoder();
const utf8Encoder = new TextEncoder();

/**
 * Runs the plugin's `jsbox-compile` export inside Node's own WebAssembly to turn source into
 * QuickJS bytecode. The pre-initialised instance is made once and reused: compiling runs no user
 * code, so there is no state to leak between compiles. It is replaced after a trap or when its
 * memory has grown large.
 */
export class PluginCompiler {
  private readonly module: WebAssembly.Module;
  private instance: PluginExports | undefined;
  /**
   * One buffer in plugin memory for source + file name, grown with `cabi_realloc` and reused:
   * the ABI has no free, so fresh allocations per compile would leak.
   */
  private scratch = { pointer: 0, capacity: 0 };
  /** Diagnostics the plugin printed (fd 1/2) while compiling; kept for error reports. */
  private output = '';

  constructor(readonly plugin: EnginePlugin) {
    this.module = new WebAssembly.Module(plugin.bytes);
  }

  /**
   * Compiles `source` as a global script named `filename` (the name shown in stack traces).
   * Throws {@link CompileError} with 1-based line/column for a syntax error.
   */
  compile(source: string, filename: string): Uint8Array {
    const exports = this.exports();
    try {
      return this.run(exports, source, filename);
    } catch (error) {
      if (CompileError.isInstance(error)) throw error;
      this.instance = undefined;
      throw new InternalError(
        `the engine plugin failed while compiling: ${(error as Error)?.message ?? String(error)}${this.output ? `; plugin output: ${this.output.slice(0, 2000)}` : ''}`,
        { cause: error },
      );
    } finally {
      this.output = '';
      if (this.instance && this.instance.memory.buffer.byteLength > RECYCLE_MEMORY_BYTES)
        this.instance = undefined;
    }
  }

  /** Bytes of linear memory the compile instance holds now (0 before the first compile). */
  get memoryBytes(): number {
    return this.instance?.memory.buffer.byteLength ?? 0;
  }

  private run(exports: PluginExports, source: string, filename: string): Uint8Array {
    const sourceBytes = utf8Encoder.encode(source);
    const nameBytes = utf8Encoder.encode(filename);
    const sourcePointer = this.copyIn(exports, sourceBytes, nameBytes);
    const namePointer = sourcePointer + sourceBytes.length;
    const compileNamed = exports['jsbox-compile'];
    const area = compileNamed
      ? compileNamed(sourcePointer, sourceBytes.length, namePointer, nameBytes.length)
      : exports['compile-src'](sourcePointer, sourceBytes.length);
    const view = new DataView(exports.memory.buffer);
    const tag = view.getUint32(area, true);
    const pointer = view.getUint32(area + 4, true);
    const length = view.getUint32(area + 8, true);
    const payload = new Uint8Array(exports.memory.buffer, pointer, length).slice();
    if (tag === 0) return payload;
    if (tag === 1) throw toCompileError(utf8Decoder.decode(payload));
    throw new InternalError(`the engine plugin returned an unknown compile result tag ${tag}`);
  }

  private copyIn(exports: PluginExports, source: Uint8Array, name: Uint8Array): number {
    const needed = source.length + name.length;
    if (needed > this.scratch.capacity) {
      const capacity = Math.max(needed, this.scratch.capacity * 2, 4096);
      this.scratch.pointer = exports.cabi_realloc(this.scratch.pointer, this.scratch.capacity, 1, capacity);
      this.scratch.capacity = capacity;
    }
    const memory = new Uint8Array(exports.memory.buffer);
    memory.set(source, this.scratch.pointer);
    memory.set(name, this.scratch.pointer + source.length);
    return this.scratch.pointer;
  }

  private exports(): PluginExports {
    if (this.instance) return this.instance;
    let memory: WebAssembly.Memory | undefined;
    const wasiNames = WebAssembly.Module.imports(this.module)
      .filter((entry) => entry.module === 'wasi_snapshot_preview1')
      .map((entry) => entry.name);
    const wasi = createCompileWasiImports(wasiNames, {
      memory: () => {
        if (!memory) throw new InternalError('the engine plugin used WASI before it was instantiated');
        return memory;
      },
      onOutput: (_fd, bytes) => {
        if (this.output.length < 4096) this.output += utf8Decoder.decode(bytes);
      },
    });
    const instance = new WebAssembly.Instance(this.module, { wasi_snapshot_preview1: wasi });
    const exports = instance.exports as unknown as PluginExports;
    if (!(exports.memory instanceof WebAssembly.Memory) || typeof exports.cabi_realloc !== 'function') {
      throw new InternalError('the engine plugin does not export memory and cabi_realloc');
    }
    memory = exports.memory;
    this.instance = exports;
    this.scratch = { pointer: 0, capacity: 0 };
    return exports;
  }
}

/** Maps the plugin's compile error payload (JSON, or plain text from `compile-src`) to a CompileError. */
function toCompileError(text: string): CompileError {
  let payload: ErrorPayload | undefined;
  try {
    payload = JSON.parse(text) as ErrorPayload;
  } catch {
    payload = undefined;
  }
  if (!payload || typeof payload !== 'object')
    return new CompileError(text.trim() || 'the source does not compile');
  const name = typeof payload.name === 'string' ? payload.name : 'SyntaxError';
  const message = typeof payload.message === 'string' ? payload.message : text;
  const line = positiveInteger(payload.line);
  const column = positiveInteger(payload.column);
  return new CompileError(
    `${name}: ${message}`,
    line === undefined ? {} : { line, ...(column ? { column } : {}) },
  );
}

function positiveInteger(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}
