// Dynamic and static modules built around the stand-in plugin (test/fixtures/fake-plugin.wat):
// checked by parsing them with WebAssembly.Module and by running them on a WASI host.
import { brotliDecompressSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EnginePlugin } from '../src/engine-plugin.js';
import { buildDynamicModule } from '../src/wasm/dynamic-module.js';
import { buildLoaderModule } from '../src/wasm/loader-module.js';
import { buildStaticModule } from '../src/wasm/static-module.js';
import { fakePlugin } from './helpers/fake-plugin.js';
import { runDynamic, runStatic, runThroughLoader } from './helpers/wasi-host.js';

let plugin: EnginePlugin;
beforeAll(async () => {
  plugin = await fakePlugin();
});

const producers = { 'processed-by': [['jsbox-compiler', 'test']] } as const;
const text = (value: string) => new TextEncoder().encode(value);
const section = (module: WebAssembly.Module, name: string) =>
  WebAssembly.Module.customSections(module, name).map((bytes) => new Uint8Array(bytes));

describe('dynamic module', () => {
  it('imports exactly cabi_realloc, invoke and memory from the namespace and exports _start', () => {
    const bytes = buildDynamicModule({ bytecode: text('print me'), namespace: 'ns-v1', producers });
    expect(WebAssembly.validate(bytes)).toBe(true);
    const module = new WebAssembly.Module(bytes);
    expect(WebAssembly.Module.imports(module)).toEqual([
      { module: 'ns-v1', name: 'cabi_realloc', kind: 'function' },
      { module: 'ns-v1', name: 'invoke', kind: 'function' },
      { module: 'ns-v1', name: 'memory', kind: 'memory' },
    ]);
    expect(WebAssembly.Module.exports(module)).toEqual([{ name: '_start', kind: 'function' }]);
    expect(section(module, 'producers')).toHaveLength(1);
    expect(section(module, 'javy_source')).toHaveLength(0);
  });

  it('is tiny: header, sections, _start and producers cost under 300 bytes beyond the bytecode', () => {
    const bytecode = new Uint8Array(100).fill(1);
    const bytes = buildDynamicModule({ bytecode, namespace: 'jsbox-engine-v1', producers });
    expect(bytes.length - bytecode.length).toBeLessThan(300);
  });

  it('carries the brotli-compressed source when asked', () => {
    const source = 'console.log("héllo")';
    const module = new WebAssembly.Module(
      buildDynamicModule({ bytecode: text('x'), namespace: 'ns', producers, source }),
    );
    const [compressed] = section(module, 'javy_source');
    expect(brotliDecompressSync(compressed!).toString('utf8')).toBe(source);
  });

  it('runs: _start copies the bytecode into plugin memory and invokes it', () => {
    const bytecode = text('bytecode reached invoke intact: ✓');
    const bytes = buildDynamicModule({ bytecode, namespace: plugin.namespace, producers });
    const run = runDynamic(bytes, plugin.bytes, plugin.namespace);
    expect(run).toMatchObject({ stdout: 'bytecode reached invoke intact: ✓', exitCode: 0 });
  });

  it('handles a bytecode large enough to need multi-byte LEB immediates', () => {
    const bytecode = new Uint8Array(200_000).fill(0x61);
    const bytes = buildDynamicModule({ bytecode, namespace: plugin.namespace, producers });
    const run = runDynamic(bytes, plugin.bytes, plugin.namespace);
    expect(run.stdout.length).toBe(200_000);
  });
});

describe('program loader', () => {
  it('imports only invoke from the namespace and exports jsbox-run(ptr, len); its bytes never change', () => {
    const bytes = buildLoaderModule('ns-v1');
    const module = new WebAssembly.Module(bytes);
    expect(WebAssembly.Module.imports(module)).toEqual([
      { module: 'ns-v1', name: 'invoke', kind: 'function' },
    ]);
    expect(WebAssembly.Module.exports(module)).toEqual([{ name: 'jsbox-run', kind: 'function' }]);
    expect(buildLoaderModule('ns-v1')).toEqual(bytes);
    expect(buildLoaderModule('other-v1')).not.toEqual(bytes);
  });

  it('runs bytecode the host placed in plugin memory', () => {
    const loader = buildLoaderModule(plugin.namespace);
    for (const message of ['first program', 'a second, longer program: ✓']) {
      const run = runThroughLoader(loader, text(message), plugin.bytes, plugin.namespace);
      expect(run).toMatchObject({ stdout: message, exitCode: 0 });
    }
  });
});

describe('static module', () => {
  it('keeps the plugin exports and custom sections, adds _start and one passive segment', () => {
    const bytes = buildStaticModule({ plugin: plugin.bytes, bytecode: text('static run'), source: 'src()' });
    const module = new WebAssembly.Module(bytes);
    const exports = WebAssembly.Module.exports(module).map((entry) => entry.name);
    expect(exports).toEqual(
      expect.arrayContaining(['memory', 'cabi_realloc', 'invoke', 'jsbox-compile', '_start']),
    );
    expect(WebAssembly.Module.imports(module)).toEqual(
      WebAssembly.Module.imports(new WebAssembly.Module(plugin.bytes)),
    );
    expect(new TextDecoder().decode(section(module, 'import_namespace')[0])).toBe(plugin.namespace);
    expect(brotliDecompressSync(section(module, 'javy_source')[0]!).toString()).toBe('src()');
    expect(runStatic(bytes)).toMatchObject({ stdout: 'static run', exitCode: 0 });
  });

  it('keeps only the requested exports when asked (component preparation)', () => {
    const bytes = buildStaticModule({
      plugin: plugin.bytes,
      bytecode: text('x'),
      keepExports: ['memory', 'cabi_realloc'],
    });
    const names = WebAssembly.Module.exports(new WebAssembly.Module(bytes)).map((entry) => entry.name);
    expect(names).toEqual(['memory', 'cabi_realloc', '_start']);
    expect(runStatic(bytes).stdout).toBe('x');
  });

  it('rejects modules that lack the plugin ABI', () => {
    const dynamic = buildDynamicModule({ bytecode: text('x'), namespace: 'ns', producers });
    expect(() => buildStaticModule({ plugin: dynamic, bytecode: text('x') })).toThrow(
      /does not export function cabi_realloc/,
    );
    expect(() => buildStaticModule({ plugin: text('nope'), bytecode: text('x') })).toThrow(
      /not a WebAssembly module/,
    );
    const again = buildStaticModule({ plugin: plugin.bytes, bytecode: text('x') });
    expect(() => buildStaticModule({ plugin: again, bytecode: text('y') })).toThrow(/already exports _start/);
  });
});
