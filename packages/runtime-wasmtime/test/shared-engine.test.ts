import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile } from '@jsbox/compiler';
import { resolveExecutionRequest } from '@jsbox/core';
import { describe, expect, it } from 'vitest';
import { sharedEngineCount } from '../src/engine-host/shared-engine.js';
import { createWasmtimeBackend, runModule } from '../src/index.js';
import { SHARED_RUNNER_IDLE_MS } from '../src/runner/shared-module-runner.js';
import { addressSpaceUnlimited } from '../src/wasmtime/engine.js';

const cacheDirectory = mkdtempSync(join(tmpdir(), 'jsbox-shared-engine-'));

async function until(condition: () => boolean, limitMs: number): Promise<boolean> {
  const started = Date.now();
  while (!condition() && Date.now() - started < limitMs)
    await new Promise((resolve) => setTimeout(resolve, 50));
  return condition();
}

describe('one engine per process', () => {
  it('is shared by backends and runModule, and freed after the last user', async () => {
    expect(sharedEngineCount()).toBe(0);
    const first = await createWasmtimeBackend({ cacheDirectory, poolSize: 1 });
    const second = await createWasmtimeBackend({ cacheDirectory, poolSize: 2 });
    const unmetered = await createWasmtimeBackend({ cacheDirectory, poolSize: 1, meterFuel: false });
    // Fuel metering is an engine setting: that backend needs an engine of its own.
    expect(sharedEngineCount()).toBe(2);
    const module = await compile('console.log(6 * 7)', { format: 'dynamic' });
    const [a, b, c, d] = await Promise.all([
      first.execute(resolveExecutionRequest({ code: '1 + 1' })),
      second.execute(resolveExecutionRequest({ code: '2 + 2' })),
      unmetered.execute(resolveExecutionRequest({ code: '3 + 3' })),
      runModule(module.bytes, { cacheDirectory }),
    ]);
    expect([a, b, c].map((result) => result.status === 'success' && result.result)).toEqual([2, 4, 6]);
    expect(d).toMatchObject({ exitCode: 0, stdout: '42\n' });
    expect(sharedEngineCount()).toBe(2);
    await first.dispose();
    await unmetered.dispose();
    expect(sharedEngineCount()).toBe(1);
    // Still usable by the remaining users.
    expect(await second.execute(resolveExecutionRequest({ code: '5 + 5' }))).toMatchObject({ result: 10 });
    await second.dispose();
    // runModule keeps its runner (and so the engine) warm for a while, then lets go.
    expect(sharedEngineCount()).toBe(1);
    expect(await until(() => sharedEngineCount() === 0, SHARED_RUNNER_IDLE_MS + 10_000)).toBe(true);
  }, 60_000);

  it('lets a program that used runModule exit without waiting for the warm runner', async () => {
    // A script file, not `node -e`: workers inherit `--input-type`, which only `-e` accepts.
    const directory = mkdtempSync(join(tmpdir(), 'jsbox-exit-'));
    const moduleFile = join(directory, 'hello.wasm');
    writeFileSync(moduleFile, (await compile('console.log("hi")', { format: 'dynamic' })).bytes);
    const scriptFile = join(directory, 'main.mjs');
    writeFileSync(
      scriptFile,
      `import { readFileSync } from 'node:fs';
      const { runModule } = await import(${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)});
      const result = await runModule(readFileSync(${JSON.stringify(moduleFile)}), { cacheDirectory: false });
      const holding = process.getActiveResourcesInfo().filter((kind) => kind !== 'TTYWrap' && kind !== 'PipeWrap');
      console.log(JSON.stringify({ stdout: result.stdout, holding }));`,
    );
    const output = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, [scriptFile], { timeout: 30_000 }, (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
      ),
    );
    expect(JSON.parse(output)).toEqual({ stdout: 'hi\n', holding: [] });
  }, 40_000);

  it.skipIf(process.platform !== 'linux')(
    'frees the engine natively: backends created and disposed in turn do not pile up address space',
    async () => {
      const virtualBytes = () =>
        Number(/VmSize:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) * 1024;
      let baseline = 0;
      for (let round = 0; round < 4; round++) {
        const backend = await createWasmtimeBackend({ cacheDirectory, poolSize: 2 });
        const results = await Promise.all([
          backend.execute(resolveExecutionRequest({ code: '1 + 1' })),
          backend.execute(resolveExecutionRequest({ code: 'console.log(2)' })),
        ]);
        expect(results.map((result) => result.status)).toEqual(['success', 'success']);
        await backend.dispose();
        expect(sharedEngineCount()).toBe(0);
        if (round === 0) baseline = virtualBytes();
      }
      // A pooled engine reserves ~0.5 TiB of address space: one that outlived its backend
      // (held by a worker's compiled modules or linker) would show here.
      expect(virtualBytes() - baseline).toBeLessThan(64 * 1024 ** 3);
    },
    60_000,
  );
});

describe('the pooling allocator', () => {
  const limits = (addressSpace: string) =>
    `Limit                     Soft Limit           Hard Limit           Units\nMax stack size            8388608              unlimited            bytes\nMax address space         ${addressSpace}            unlimited            bytes\n`;

  it('is used unless the address space is capped (ulimit -v)', () => {
    expect(addressSpaceUnlimited(limits('unlimited'))).toBe(true);
    expect(addressSpaceUnlimited(limits('8589934592'))).toBe(false);
    expect(addressSpaceUnlimited(undefined)).toBe(true);
  });
});
