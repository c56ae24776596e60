// compile() input handling with the stand-in plugin: options, bad sources, caching.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompileError, InvalidOptionsError, InvalidRequestError } from '@jsbox/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../src/compile.js';
import { CompileCache } from '../src/compile-cache.js';
import { resolveCompileOptions } from '../src/compile-options.js';
import type { EnginePlugin } from '../src/engine-plugin.js';
import { fakePlugin } from './helpers/fake-plugin.js';

let plugin: EnginePlugin;
let directory: string;
beforeAll(async () => {
  plugin = await fakePlugin();
  directory = await mkdtemp(join(tmpdir(), 'jsbox-compile-test-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function compileError(source: string, options: Parameters<typeof compile>[1] = {}) {
  try {
    await compile(source, { plugin, cache: false, ...options });
  } catch (error) {
    return error as CompileError;
  }
  throw new Error('expected compile to fail');
}

describe('resolveCompileOptions', () => {
  it('applies defaults', () => {
    expect(resolveCompileOptions()).toMatchObject({
      format: 'dynamic',
      language: 'javascript',
      filename: 'main.js',
      embedSource: false,
      maxCodeBytes: 100_000,
      engine: 'jsbox',
      cache: true,
    });
    expect(resolveCompileOptions({ language: 'typescript' }).filename).toBe('main.ts');
  });

  it('lists every bad option with what is allowed', () => {
    let caught: unknown;
    try {
      resolveCompileOptions({ format: 'wat' as never, maxCodeBytes: -1, filename: 'a b', bogus: 1 } as never);
    } catch (error) {
      caught = error;
    }
    expect(InvalidOptionsError.isInstance(caught)).toBe(true);
    const message = (caught as Error).message;
    expect(message).toContain('valid formats: dynamic, static, component');
    expect(message).toContain('maxCodeBytes must be at least 1');
    expect(message).toContain('filename must be');
    expect(message).toContain('bogus');
  });
});

describe('compile input checks', () => {
  it('rejects a non-string source as an invalid request', async () => {
    await expect(compile(42 as never, { plugin })).rejects.toSatisfy(InvalidRequestError.isInstance);
  });

  it('rejects empty and whitespace-only sources', async () => {
    expect((await compileError('')).message).toMatch(/empty/);
    expect((await compileError(' \n\t ')).message).toMatch(/empty/);
  });

  it('rejects sources over the code cap, counting UTF-8 bytes', async () => {
    const error = await compileError('"é".repeat(10)', { maxCodeBytes: 10 });
    expect(CompileError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/15 bytes; the limit is 10 bytes/);
  });

  it('rejects NUL characters and lone surrogates with their location', async () => {
    expect(await compileError('let a = 1;\nlet b = "\0";')).toMatchObject({ line: 2, column: 10 });
    const surrogate = await compileError('let s = "\ud800";');
    expect(surrogate).toMatchObject({ line: 1, column: 10 });
    expect(surrogate.message).toMatch(/not valid Unicode/);
  });

  it('reports the plugin’s compile errors with line and column', async () => {
    expect(await compileError('!syntax')).toMatchObject({ name: 'CompileError', line: 1, column: 1 });
  });

  it('rejects static imports as "the sandbox has no modules", leaves dynamic import() alone', async () => {
    const error = await compileError('const a = 1;\nimport fs from "node:fs";\nfs');
    expect(error.message).toMatch(/no modules/);
    expect(error.message).toContain('node:fs');
    expect(error).toMatchObject({ line: 2, column: 16 });
    await expect(compile('import("x").catch(() => 1)', { plugin, cache: false })).resolves.toBeDefined();
    await expect(compile('"import is just a word here"', { plugin, cache: false })).resolves.toBeDefined();
  });

  it('accepts TypeScript with type errors (types are stripped, not checked)', async () => {
    const result = await compile('let n: number = "text";\nn', {
      plugin,
      language: 'typescript',
      cache: false,
    });
    const bytecode = new TextDecoder().decode(result.bytes);
    expect(bytecode).toContain('let n = "text"');
    expect(JSON.parse(result.sourceMap!)).toMatchObject({ sources: ['main.ts'] });
  });

  it('drops type-only imports in TypeScript but rejects value imports', async () => {
    await expect(
      compile('import type { X } from "./x";\nconst v: X = 1 as never;\nv', {
        plugin,
        language: 'typescript',
        cache: false,
      }),
    ).resolves.toBeDefined();
    const error = await compileError('import { helper } from "./x";\nhelper()', { language: 'typescript' });
    expect(error.message).toMatch(/no modules/);
  });
});

describe('compile results and caching', () => {
  it('describes the module it returns', async () => {
    const result = await compile('hello()', { plugin, cache: false });
    expect(result).toMatchObject({
      format: 'dynamic',
      namespace: plugin.namespace,
      sizes: { source: 7, bytecode: 7, module: result.bytes.length },
    });
    expect(result.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(result.sourceMap).toBeUndefined();
  });

  it('serves repeated compiles from the cache, keyed by options too', async () => {
    const cache = new CompileCache();
    const first = await compile('cached()', { plugin, cache });
    const second = await compile('cached()', { plugin, cache });
    expect(second).toEqual(first);
    expect(cache.size).toBe(1);
    await compile('cached()', { plugin, cache, format: 'static' });
    await compile('cached()', { plugin, cache, embedSource: true });
    expect(cache.size).toBe(3);
  });

  it('writes entries to cacheDirectory and reuses them', async () => {
    const first = await compile('onDisk()', { plugin, cacheDirectory: directory });
    expect(await readdir(directory)).toHaveLength(1);
    const viaFreshCache = await compile('onDisk()', { plugin, cache: new CompileCache({ directory }) });
    expect(viaFreshCache.sha256).toBe(first.sha256);
  });

  it('does not cache failures', async () => {
    const cache = new CompileCache();
    await expect(compile('!bad', { plugin, cache })).rejects.toSatisfy(CompileError.isInstance);
    expect(cache.size).toBe(0);
  });
});
