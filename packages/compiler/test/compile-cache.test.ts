import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CompileCache } from '../src/compile-cache.js';
import type { CompileResult } from '../src/compile-result.js';

const result = (fill: number, size = 10): CompileResult => {
  const bytes = new Uint8Array(size).fill(fill);
  return {
    bytes,
    format: 'dynamic',
    namespace: 'ns',
    sha256: createHash('sha256').update(bytes).digest('hex'),
    sizes: { source: 1, bytecode: 1, module: size },
  };
};

const directories: string[] = [];
afterEach(async () => {
  for (const directory of directories.splice(0)) await rm(directory, { recursive: true, force: true });
});
async function temporaryDirectory() {
  const directory = await mkdtemp(join(tmpdir(), 'jsbox-cache-test-'));
  directories.push(directory);
  return directory;
}

describe('CompileCache', () => {
  it('keys differ when any part differs, including how parts are split', () => {
    expect(CompileCache.key(['a', 'b'])).not.toBe(CompileCache.key(['ab']));
    expect(CompileCache.key(['a', 'b'])).toBe(CompileCache.key(['a', 'b']));
    expect(CompileCache.key(['a', 'b'])).toMatch(/^[0-9a-f]{64}$/);
  });

  it('evicts the least recently used entry past maxEntries and maxBytes', async () => {
    const cache = new CompileCache({ maxEntries: 2 });
    await cache.set('a', result(1));
    await cache.set('b', result(2));
    await cache.get('a');
    await cache.set('c', result(3));
    expect(await cache.get('b')).toBeUndefined();
    expect((await cache.get('a'))?.bytes[0]).toBe(1);
    expect(cache.size).toBe(2);

    const small = new CompileCache({ maxBytes: 25 });
    await small.set('x', result(1, 10));
    await small.set('y', result(2, 10));
    await small.set('z', result(3, 10));
    expect(await small.get('x')).toBeUndefined();
    expect(small.size).toBe(2);
    await small.set('huge', result(4, 100));
    expect(await small.get('huge')).toBeUndefined();
  });

  it('hands out copies: callers cannot corrupt cached bytes', async () => {
    const cache = new CompileCache();
    await cache.set('k', result(5));
    const first = await cache.get('k');
    first!.bytes.fill(0);
    expect((await cache.get('k'))!.bytes[0]).toBe(5);
  });

  it('persists to disk atomically and reads entries back in a new cache', async () => {
    const directory = await temporaryDirectory();
    await new CompileCache({ directory }).set('k1', result(7, 1000));
    const files = await readdir(directory);
    expect(files).toEqual(['k1.jsbc']);
    const fresh = new CompileCache({ directory });
    const hit = await fresh.get('k1');
    expect(hit?.bytes.length).toBe(1000);
    expect(hit?.bytes[999]).toBe(7);
    expect(hit?.format).toBe('dynamic');
  });

  it('ignores and removes corrupt or tampered entries', async () => {
    const directory = await temporaryDirectory();
    await new CompileCache({ directory }).set('good', result(7, 100));
    const entry = join(directory, 'good.jsbc');
    const data = await readFile(entry);
    data.writeUInt8(data.readUInt8(data.length - 1) ^ 0xff, data.length - 1);
    await writeFile(entry, data);
    await writeFile(join(directory, 'garbage.jsbc'), 'not a cache entry');
    await writeFile(join(directory, 'short.jsbc'), Buffer.from([255, 255, 255, 255, 1]));
    const cache = new CompileCache({ directory });
    expect(await cache.get('good')).toBeUndefined();
    expect(await cache.get('garbage')).toBeUndefined();
    expect(await cache.get('short')).toBeUndefined();
    expect(await readdir(directory)).toEqual([]);
  });

  it('keeps working in memory when the directory cannot be written', async () => {
    const directory = await temporaryDirectory();
    const blocked = join(directory, 'file');
    await writeFile(blocked, 'a file where a directory should be');
    const cache = new CompileCache({ directory: blocked });
    await cache.set('k', result(3));
    expect((await cache.get('k'))?.bytes[0]).toBe(3);
  });
});
