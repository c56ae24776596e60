// compile() with the real engine plugin (plugin/jsbox-engine.wasm, built by engine/build.mjs):
// modules are parsed, then run on Node's WebAssembly with the test WASI shim.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliDecompressSync } from 'node:zlib';
import { componentWit } from '@bytecodealliance/jco';
import { CompileError } from '@jsbox/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { compile, compileProgram, compileToBytecode } from '../src/compile.js';
import { describeEnginePlugin, type EnginePlugin, getEnginePlugin } from '../src/engine-plugin.js';
import { EnginePluginMissingError } from '../src/errors.js';
import { PluginCompiler } from '../src/plugin-compiler.js';
import { mapStackToSource } from '../src/source-map.js';
import { buildLoaderModule } from '../src/wasm/loader-module.js';
import { runDynamic, runStatic, runThroughLoader } from './helpers/wasi-host.js';

const pluginUrl = new URL('../plugin/jsbox-engine.wasm', import.meta.url);
let plugin: EnginePlugin;

beforeAll(() => {
  if (!existsSync(pluginUrl)) {
    throw new Error(
      `${fileURLToPath(pluginUrl)} is missing: build it with pnpm --filter @jsbox/compiler build`,
    );
  }
  plugin = getEnginePlugin();
});

const outcome = (text: string) => JSON.parse(text) as Record<string, any>;

describe('getEnginePlugin', () => {
  it('reads the packaged plugin, its namespace and its manifest', () => {
    const manifest = JSON.parse(
      readFileSync(new URL('../plugin/jsbox-engine.json', import.meta.url), 'utf8'),
    );
    expect(plugin.namespace).toBe('jsbox-engine-v1');
    expect(plugin.sha256).toBe(manifest.sha256);
    expect(plugin.quickjsVersion).toBe(manifest.quickjsVersion);
    expect(plugin.path).toBe(fileURLToPath(pluginUrl));
    expect(getEnginePlugin()).toBe(plugin);
  });

  it('refuses bytes that are not a plugin with a typed error', () => {
    expect(() => describeEnginePlugin(new Uint8Array([1, 2, 3]))).toThrow(/not a valid WebAssembly module/);
    let caught: unknown;
    try {
      describeEnginePlugin(Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
    } catch (error) {
      caught = error;
    }
    expect(EnginePluginMissingError.isInstance(caught)).toBe(true);
    expect((caught as Error).message).toMatch(/import_namespace/);
    expect((caught as Error).message).toMatch(/pnpm --filter @jsbox\/compiler build/);
  });
});

describe('syntax errors', () => {
  it('are CompileErrors with 1-based line and column, raised at compile time', async () => {
    await expect(
      compile('let ok = 1;\nfunction f() {\n  return 1 +;\n}', { cache: false }),
    ).rejects.toMatchObject({
      name: 'CompileError',
      code: 'compile_error',
      line: 3,
      column: 13,
    });
    await expect(compile('let x = ;', { cache: false })).rejects.toSatisfy(CompileError.isInstance);
  });

  it('map TypeScript syntax errors to the TypeScript source', async () => {
    await expect(
      compile('type T = number;\nconst t: T = (;\n', { language: 'typescript', cache: false }),
    ).rejects.toMatchObject({ line: 2, column: 15 });
  });
});

describe('dynamic modules', () => {
  it('hello world is well under a kilobyte and runs against the plugin', async () => {
    const result = await compile('console.log("hello world")', { cache: false });
    expect(result.sizes.module).toBeLessThan(1024);
    const module = new WebAssembly.Module(result.bytes);
    expect(WebAssembly.Module.imports(module).map((entry) => `${entry.module}.${entry.name}`)).toEqual([
      'jsbox-engine-v1.cabi_realloc',
      'jsbox-engine-v1.invoke',
      'jsbox-engine-v1.memory',
    ]);
    expect(WebAssembly.Module.exports(module)).toEqual([{ name: '_start', kind: 'function' }]);
    expect(WebAssembly.Module.customSections(module, 'producers')).toHaveLength(1);
    const run = runDynamic(result.bytes, plugin.bytes, plugin.namespace);
    expect(run.stdout).toBe('hello world\n');
    expect(outcome(run.result)).toEqual({ kind: 'value', value: { $jsbox: 'undefined' } });
  });

  it('returns the completion value, awaits top-level await and reads input from stdin', async () => {
    const result = await compile('const data = await Promise.resolve(input);\n({ sum: data.a + 1 })', {
      cache: false,
    });
    const run = runDynamic(result.bytes, plugin.bytes, plugin.namespace, { stdin: '{"a":41}' });
    expect(outcome(run.result)).toEqual({ kind: 'value', value: { sum: 42 } });
  });

  it('reports uncaught errors through the result channel, or traps without one (like wasmtime run)', async () => {
    const result = await compile('function boom() { throw new TypeError("nope"); }\nboom()', {
      cache: false,
    });
    const withHost = runDynamic(result.bytes, plugin.bytes, plugin.namespace);
    expect(outcome(withHost.result)).toMatchObject({
      kind: 'exception',
      error: { name: 'TypeError', message: 'nope' },
    });
    const bare = runDynamic(result.bytes, plugin.bytes, plugin.namespace, { resultChannel: false });
    expect(bare.exitCode).toBe(134);
    expect(bare.stderr).toContain('nope');
  });

  it('embeds the source when asked', async () => {
    const source = 'console.log("embedded")';
    const result = await compile(source, { embedSource: true, cache: false });
    const [section] = WebAssembly.Module.customSections(new WebAssembly.Module(result.bytes), 'javy_source');
    expect(brotliDecompressSync(new Uint8Array(section!)).toString()).toBe(source);
  });

  it('TypeScript errors can be mapped back to TypeScript lines', async () => {
    const ts = [
      'interface Shape { area(): number }',
      'type Id = string;',
      'const square = (side: number): Shape => ({',
      '  area: () => {',
      '    throw new Error("no area for " + side);',
      '  },',
      '});',
      'square(2).area();',
    ].join('\n');
    const result = await compile(ts, { language: 'typescript', cache: false });
    const run = runDynamic(result.bytes, plugin.bytes, plugin.namespace);
    const error = outcome(run.result).error as { stack: string };
    expect(error.stack).toMatch(/main\.ts:\d+:\d+/);
    const mapped = mapStackToSource(error.stack, result.sourceMap!, { fileName: 'main.ts' });
    expect(mapped).toMatch(/main\.ts:5:\d+/);
    expect(mapped).toMatch(/main\.ts:8:\d+/);
  });
});

describe('compileProgram (bytecode for the program loader)', () => {
  it('gives the bytecode a dynamic module embeds, and it runs through the loader', async () => {
    const source = 'console.log("through the loader"); 6 * 7';
    const program = await compileProgram(source);
    expect(program.namespace).toBe(plugin.namespace);
    expect(program.bytecode).toEqual(compileToBytecode(source));
    const loader = buildLoaderModule(plugin.namespace);
    const run = runThroughLoader(loader, program.bytecode, plugin.bytes, plugin.namespace);
    expect(run.stdout).toBe('through the loader\n');
    expect(outcome(run.result)).toEqual({ kind: 'value', value: 42 });
  });

  it('keeps output in the plugin when the host asks (jsbox-configure-capture), flushing at the cap', async () => {
    const loader = buildLoaderModule(plugin.namespace);
    const { bytecode } = await compileProgram('console.log("kept"); console.error("also"); 5');
    const kept = runThroughLoader(loader, bytecode, plugin.bytes, plugin.namespace, { captureOutput: 1024 });
    expect(kept.stdout).toBe('');
    expect(kept.result).toBe('');
    expect(kept.captured).toEqual({
      stdout: 'kept\n',
      stderr: 'also\n',
      outcome: '{"kind":"value","value":5}',
    });
    // Past the cap, a write goes out at once (the host's cap check then stops the guest).
    const loud = await compileProgram('console.log("a".repeat(40)); console.log("b".repeat(40)); 1');
    const flushed = runThroughLoader(loader, loud.bytecode, plugin.bytes, plugin.namespace, {
      captureOutput: 50,
    });
    expect(flushed.stdout).toBe(`${'a'.repeat(40)}\n${'b'.repeat(40)}\n`);
    expect(flushed.captured?.stdout).toBe('');
    // Without the request every write goes straight to its fd, as under `wasmtime run`.
    const plain = runThroughLoader(loader, bytecode, plugin.bytes, plugin.namespace);
    expect(plain.stdout).toBe('kept\n');
  });

  it('checks, transpiles and refuses like compile()', async () => {
    await expect(compileProgram('let x = ;')).rejects.toSatisfy(
      (error: unknown) => CompileError.isInstance(error) && (error as CompileError).line === 1,
    );
    await expect(compileProgram('import fs from "node:fs";')).rejects.toThrow(/import/);
    await expect(compileProgram('x'.repeat(2048), { maxCodeBytes: 1024 })).rejects.toThrow(/1024/);
    const typed = await compileProgram('const n: number = 1;\nn + 1', { language: 'typescript' });
    expect(typed.sourceMap).toContain('"mappings"');
  });
});

describe('static modules', () => {
  it('are the plugin plus the bytecode and a _start, and run with no preload', async () => {
    const result = await compile('console.log("static"); [1, 2, 3].map((n) => n * 2)', {
      format: 'static',
      cache: false,
    });
    expect(result.sizes.module).toBeGreaterThan(plugin.bytes.length);
    expect(result.sizes.module - plugin.bytes.length).toBeLessThan(result.sizes.bytecode! + 200);
    const module = new WebAssembly.Module(result.bytes);
    const exports = WebAssembly.Module.exports(module).map((entry) => entry.name);
    expect(exports).toContain('_start');
    expect(exports).toContain('invoke');
    expect(
      WebAssembly.Module.imports(module).every((entry) => entry.module === 'wasi_snapshot_preview1'),
    ).toBe(true);
    expect(new TextDecoder().decode(WebAssembly.Module.customSections(module, 'import_namespace')[0]!)).toBe(
      'jsbox-engine-v1',
    );
    expect(WebAssembly.Module.customSections(module, 'producers')).toHaveLength(1);
    const run = runStatic(result.bytes);
    expect(run.stdout).toBe('static\n');
    expect(outcome(run.result)).toEqual({ kind: 'value', value: [2, 4, 6] });
  });
});

describe('components', () => {
  it('are WASI preview2 command components that run under jco', async () => {
    const result = await compile('console.log("hello from a component")', {
      format: 'component',
      cache: false,
    });
    // component binaries use layer 1 in the header, so core WebAssembly rejects them
    expect(Array.from(result.bytes.subarray(0, 8))).toEqual([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00]);
    expect(WebAssembly.validate(result.bytes)).toBe(false);
    // a command world: exports wasi:cli/run, imports stdio, clocks, random (no sockets, no http)
    const wit: string = await componentWit(result.bytes);
    expect(wit).toMatch(/export wasi:cli\/run@/);
    expect(wit).toMatch(/import wasi:cli\/stdout@/);
    expect(wit).not.toMatch(/wasi:sockets|wasi:http/);
    const directory = await mkdtemp(join(tmpdir(), 'jsbox-component-'));
    try {
      const path = join(directory, 'hello.wasm');
      await writeFile(path, result.bytes);
      const jco = fileURLToPath(
        new URL('../node_modules/@bytecodealliance/jco/dist/jco.js', import.meta.url),
      );
      // the engine reads stdin to its end (the request input), so give the child an empty one
      const child = promisify(execFile)(process.execPath, [jco, 'run', path], { timeout: 60_000 });
      child.child.stdin?.end();
      const { stdout } = await child;
      expect(stdout).toBe('hello from a component\n');
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  }, 90_000);
});

describe('the shared compile instance', () => {
  it('survives many compiles, syntax errors included, without leaking state', () => {
    for (let index = 0; index < 300; index++) {
      if (index % 10 === 0) expect(() => compileToBytecode(`let broken${index} = ;`)).toThrow(/SyntaxError/);
      expect(compileToBytecode(`const value${index} = ${index}; value${index} * 2`).length).toBeGreaterThan(
        0,
      );
    }
  });

  it('does not grow its memory with repeated compiles of a large source', () => {
    const compiler = new PluginCompiler(plugin);
    const source = Array.from(
      { length: 2000 },
      (_, index) => `const v${index} = { n: ${index}, s: "${'x'.repeat(10)}" };`,
    ).join('\n');
    for (let index = 0; index < 20; index++) compiler.compile(source, 'big.js');
    const settled = compiler.memoryBytes;
    for (let index = 0; index < 100; index++) compiler.compile(source, 'big.js');
    expect(compiler.memoryBytes).toBe(settled);
  });

  it('keeps user code from running at compile time', async () => {
    const result = await compile('console.log("side effect"); while (true) {}', { cache: false });
    expect(result.bytes.length).toBeGreaterThan(0);
  });
});
