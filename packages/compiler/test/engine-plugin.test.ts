/**
 * Runs the built engine plugin (plugin/jsbox-engine.wasm, made by engine/build.mjs) in Node's
 * WebAssembly with a hand-written WASI shim, checking the plugin ABI end to end: compile in one
 * instance, run the bytecode in a fresh instance, read the outcome from fd 3.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { WasiShim, type WasiShimOptions } from './helpers/wasi-shim.js';

const pluginUrl = new URL('../plugin/jsbox-engine.wasm', import.meta.url);
const metadataUrl = new URL('../plugin/jsbox-engine.json', import.meta.url);

interface PluginExports {
  memory: WebAssembly.Memory;
  cabi_realloc(originalPtr: number, originalSize: number, align: number, newSize: number): number;
  'compile-src'(sourcePtr: number, sourceLength: number): number;
  'jsbox-compile'(sourcePtr: number, sourceLength: number, namePtr: number, nameLength: number): number;
  'jsbox-configure'(memoryLimitBytes: number, maxStackBytes: number, maxResultBytes: number): void;
  invoke(bytecodePtr: number, bytecodeLength: number, fnTag: number, fnPtr: number, fnLength: number): void;
}

interface RunOptions extends WasiShimOptions {
  memoryLimitBytes?: number;
  maxStackBytes?: number;
  maxResultBytes?: number;
}

let plugin: WebAssembly.Module;

async function instantiate(options: WasiShimOptions = {}) {
  const shim = new WasiShim(options);
  const instance = await WebAssembly.instantiate(plugin, shim.imports(plugin));
  const exports = instance.exports as unknown as PluginExports;
  shim.bind(exports.memory);
  return { exports, shim };
}

/** Reads the 12-byte compile return area [tag, ptr, len] and copies out the payload. */
function readReturnArea(exports: PluginExports, area: number) {
  const view = new DataView(exports.memory.buffer);
  const pointer = view.getUint32(area + 4, true);
  const length = view.getUint32(area + 8, true);
  return {
    tag: view.getUint32(area, true),
    payload: new Uint8Array(exports.memory.buffer.slice(pointer, pointer + length)),
  };
}

function writeBytes(exports: PluginExports, bytes: Uint8Array): number {
  const pointer = exports.cabi_realloc(0, 0, 1, bytes.length);
  new Uint8Array(exports.memory.buffer, pointer, bytes.length).set(bytes);
  return pointer;
}

/** Compiles with `jsbox-compile`; returns the tag and the payload bytes. */
async function compile(source: string, filename = 'main.js') {
  const { exports } = await instantiate();
  const sourceBytes = new TextEncoder().encode(source);
  const nameBytes = new TextEncoder().encode(filename);
  const sourcePtr = writeBytes(exports, sourceBytes);
  const namePtr = writeBytes(exports, nameBytes);
  const area = exports['jsbox-compile'](sourcePtr, sourceBytes.length, namePtr, nameBytes.length);
  return readReturnArea(exports, area);
}

/** Compiles `source`, then runs it in a fresh instance; returns the fd 3 outcome and the output. */
async function run(source: string, options: RunOptions = {}) {
  const compiled = await compile(source);
  if (compiled.tag !== 0) throw new Error(`compile failed: ${new TextDecoder().decode(compiled.payload)}`);
  const { exports, shim } = await instantiate(options);
  exports['jsbox-configure'](
    options.memoryLimitBytes ?? 0,
    options.maxStackBytes ?? 0,
    options.maxResultBytes ?? 0,
  );
  const pointer = writeBytes(exports, compiled.payload);
  let trap: unknown;
  try {
    exports.invoke(pointer, compiled.payload.length, 0, 0, 0);
  } catch (error) {
    trap = error;
  }
  const resultText = shim.text(3);
  return {
    outcome: resultText === '' ? undefined : JSON.parse(resultText),
    stdout: shim.text(1),
    stderr: shim.text(2),
    trap,
    shim,
  };
}

beforeAll(async () => {
  if (!existsSync(pluginUrl)) {
    throw new Error(
      `${fileURLToPath(pluginUrl)} is missing: build it with pnpm --filter @jsbox/compiler build`,
    );
  }
  plugin = await WebAssembly.compile(readFileSync(pluginUrl));
});

describe('engine plugin shape', () => {
  it('exports the ABI, carries its namespace and imports only WASI preview1 functions', () => {
    const exports = WebAssembly.Module.exports(plugin).map((entry) => `${entry.name}:${entry.kind}`);
    expect(exports.sort()).toEqual(
      [
        'cabi_realloc:function',
        'compile-src:function',
        'initialize-runtime:function',
        'invoke:function',
        'jsbox-compile:function',
        'jsbox-configure:function',
        'jsbox-configure-capture:function',
        'memory:memory',
      ].sort(),
    );
    const [namespace] = WebAssembly.Module.customSections(plugin, 'import_namespace');
    expect(new TextDecoder().decode(namespace)).toBe('jsbox-engine-v1');
    for (const entry of WebAssembly.Module.imports(plugin)) {
      expect(`${entry.module}:${entry.kind}`).toBe('wasi_snapshot_preview1:function');
    }
  });

  it('has metadata that matches the wasm', () => {
    const bytes = readFileSync(pluginUrl);
    const metadata = JSON.parse(readFileSync(metadataUrl, 'utf8'));
    expect(metadata).toMatchObject({
      namespace: 'jsbox-engine-v1',
      quickjsVersion: '2025-04-26',
      bytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      wasmStackBytes: 1024 * 1024,
    });
    expect(metadata.inputsHash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('compiling', () => {
  it('reports a syntax error as tag 1 with JSON, line and column', async () => {
    const { tag, payload } = await compile('const a = 1;\nlet b = ;\n', 'prog.js');
    expect(tag).toBe(1);
    const error = JSON.parse(new TextDecoder().decode(payload));
    expect(error).toMatchObject({ name: 'SyntaxError', line: 2, column: 9 });
    expect(error.message).toMatch(/unexpected token/);
    expect(error.stack).toContain('prog.js:2:9');
  });

  it("keeps Javy's compile-src with a plain-text error", async () => {
    const { exports } = await instantiate();
    const source = new TextEncoder().encode('(');
    const area = exports['compile-src'](writeBytes(exports, source), source.length);
    const { tag, payload } = readReturnArea(exports, area);
    expect(tag).toBe(1);
    expect(new TextDecoder().decode(payload)).toMatch(/^SyntaxError: .*\n.*main\.js:1:2/);
  });

  it('returns bytecode as tag 0', async () => {
    const { tag, payload } = await compile('1 + 1');
    expect(tag).toBe(0);
    expect(payload.length).toBeGreaterThan(4);
  });
});

describe('running', () => {
  it('gives the value of the last expression', async () => {
    expect((await run('1 + 1')).outcome).toEqual({ kind: 'value', value: 2 });
  });

  it('sends console.log to fd 1 and console.error to fd 2', async () => {
    const { stdout, stderr, outcome } = await run(
      'console.log("hello", { a: 1 }); console.error("oops"); undefined',
    );
    expect(stdout).toBe('hello { a: 1 }\n');
    expect(stderr).toBe('oops\n');
    expect(outcome).toEqual({ kind: 'value', value: { $jsbox: 'undefined' } });
  });

  it('exposes the input read from fd 0, also through Javy.IO', async () => {
    const stdin = new TextEncoder().encode('{"n":21}');
    const source =
      'const buffer = new Uint8Array(64); const read = Javy.IO.readSync(0, buffer); [input.n * 2, read]';
    expect((await run(source, { stdin })).outcome).toEqual({ kind: 'value', value: [42, 8] });
    expect((await run('typeof input')).outcome).toEqual({ kind: 'value', value: 'undefined' });
  });

  it('supports top-level await', async () => {
    expect((await run('await Promise.resolve(5)')).outcome).toEqual({ kind: 'value', value: 5 });
  });

  it('settles a promise or thenable that the program ends with', async () => {
    expect((await run('(async () => { await null; return 7; })()')).outcome).toEqual({
      kind: 'value',
      value: 7,
    });
    expect((await run('({ then(resolve) { resolve(8); } })')).outcome).toEqual({ kind: 'value', value: 8 });
    const rejected = await run('Promise.reject(new RangeError("no"))');
    expect(rejected.outcome).toMatchObject({
      kind: 'exception',
      phase: 'run',
      error: { name: 'RangeError', message: 'no' },
    });
  });

  it('reports a promise nobody can settle', async () => {
    expect((await run('new Promise(() => {})')).outcome).toEqual({ kind: 'unsettled' });
  });

  it('describes an uncaught TypeError with main.js line and column', async () => {
    const { outcome } = await run('function f() {\n  const o = null;\n  return o.x;\n}\nf();\n');
    expect(outcome).toMatchObject({ kind: 'exception', phase: 'run', error: { name: 'TypeError' } });
    expect(outcome.error.message).toMatch(/null/);
    expect(outcome.error.stack).toMatch(/at f \(main\.js:3:\d+\)/);
  });

  it('makes deep recursion an error user code can catch', async () => {
    const source =
      'function down(n) { return down(n + 1) + 1; }\ntry { down(0); "not caught" } catch (e) { [e instanceof Error, e.name, e.message] }';
    const { outcome } = await run(source);
    expect(outcome.kind).toBe('value');
    expect(outcome.value[0]).toBe(true);
    expect(outcome.value[2]).toMatch(/stack overflow/);
  });

  it('records require() as a violation', async () => {
    const { outcome } = await run('require("fs")');
    expect(outcome).toMatchObject({ kind: 'violation', violation: { kind: 'require', target: 'fs' } });
  });

  it('records a dynamic import() as a violation, even when the guest catches the rejection', async () => {
    const { outcome } = await run('try { await import("./secret.js"); } catch { "swallowed" }');
    expect(outcome).toMatchObject({
      kind: 'violation',
      violation: { kind: 'import', target: './secret.js' },
    });
  });

  it('enforces the memory limit set by jsbox-configure inside QuickJS', async () => {
    const source = 'let s = "x"; const kept = []; while (true) { s = s + s; kept.push(s.slice(1)); }';
    const { outcome } = await run(source, { memoryLimitBytes: 8 * 1024 * 1024 });
    expect(outcome).toMatchObject({
      kind: 'exception',
      error: { name: 'InternalError', message: 'out of memory' },
    });
  });

  it('reports the memory limit when QuickJS cannot even allocate the error object', async () => {
    const { outcome } = await run('const kept = []; while (true) kept.push({ n: kept.length });', {
      memoryLimitBytes: 8 * 1024 * 1024,
    });
    expect(outcome).toMatchObject({ kind: 'limit', limit: 'memory' });
    // A guest's own `throw null` stays an exception.
    expect((await run('throw null')).outcome).toMatchObject({
      kind: 'exception',
      error: { message: 'Uncaught null' },
    });
  });

  it('reports a result larger than maxResultBytes as an output limit', async () => {
    const { outcome } = await run('"x".repeat(100)', { maxResultBytes: 50 });
    expect(outcome).toEqual({
      kind: 'limit',
      limit: 'output',
      message: 'result is larger than maxResultBytes',
    });
  });

  it('draws different Math.random values in two fresh instances of the same snapshot', async () => {
    const first = (await run('Math.random()')).outcome.value;
    const second = (await run('Math.random()')).outcome.value;
    expect(typeof first).toBe('number');
    expect(first).not.toBe(second);
  });

  it('calls only the WASI functions it documents on an ordinary run', async () => {
    const { shim } = await run('console.log(Date.now() > 0, Math.random() < 1); input', {
      stdin: new TextEncoder().encode('1'),
    });
    const allowed = new Set(['fd_write', 'fd_read', 'clock_time_get', 'random_get']);
    expect([...shim.called].filter((name) => !allowed.has(name))).toEqual([]);
  });

  it('reads the real clock for Date.now', async () => {
    const { outcome } = await run('Date.now()');
    expect(Math.abs(outcome.value - Date.now())).toBeLessThan(60_000);
  });

  it('without fd 3 (wasmtime run), prints an uncaught error to stderr and traps', async () => {
    const { trap, stderr, outcome } = await run('throw new TypeError("bad")', { resultChannel: false });
    expect(outcome).toBeUndefined();
    expect(trap).toBeInstanceOf(WebAssembly.RuntimeError);
    expect(stderr).toContain('Uncaught TypeError: bad');
    const quiet = await run('40 + 2', { resultChannel: false });
    expect(quiet.trap).toBeUndefined();
    expect(quiet.stdout).toBe('');
  });
});
