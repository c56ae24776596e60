// engine: 'javy' with stand-in javy executables (shell scripts): found/absent, output parsing,
// failures and the child timeout. A real javy binary is not needed for these paths.
import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompileError } from '@jsbox/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../src/compile.js';
import { JavyUnavailableError } from '../src/errors.js';
import { findJavy } from '../src/javy-binary.js';
import { buildDynamicModule } from '../src/wasm/dynamic-module.js';

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'jsbox-javy-test-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function script(name: string, body: string): Promise<string> {
  const path = join(directory, name);
  await writeFile(path, `#!/bin/sh\n${body}\n`);
  await chmod(path, 0o755);
  return path;
}

describe.skipIf(process.platform === 'win32')('engine: javy', () => {
  it('fails at once with a typed error when no javy exists', async () => {
    const started = Date.now();
    const error = await compile('1', {
      engine: 'javy',
      javyPath: join(directory, 'missing'),
      cache: false,
    }).catch((caught: unknown) => caught);
    expect(JavyUnavailableError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/not an executable file/);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(findJavy(undefined, { PATH: directory, JAVY_PATH: '' })).toMatch(/no javy binary found/);
  });

  it('finds javy through JAVY_PATH and PATH', async () => {
    const path = await script('javy', 'exit 0');
    expect(findJavy(undefined, { JAVY_PATH: path })).toEqual({ path, source: 'env' });
    expect(findJavy(undefined, { PATH: `/nonexistent:${directory}` })).toEqual({ path, source: 'path' });
  });

  it('runs `javy build` and describes the module it wrote', async () => {
    const fixture = join(directory, 'javy-output.wasm');
    await writeFile(
      fixture,
      buildDynamicModule({
        bytecode: new Uint8Array(33),
        namespace: 'javy-default-plugin-v3',
        producers: { 'processed-by': [['javy', 'test']] },
      }),
    );
    const argsFile = join(directory, 'args.txt');
    // copy the fixture to the path after -o, and record the arguments
    const javy = await script(
      'javy-fake',
      `echo "$@" >> '${argsFile}'\nwhile [ $# -gt 0 ]; do if [ "$1" = "-o" ]; then cp '${fixture}' "$2"; fi; shift; done`,
    );
    const result = await compile('console.log(1)', { engine: 'javy', javyPath: javy, cache: false });
    expect(result).toMatchObject({ format: 'dynamic', namespace: 'javy-default-plugin-v3' });
    expect(result.sizes.bytecode).toBe(33);
    const args = readFileSync(argsFile, 'utf8');
    const [emit, build] = args.trim().split('\n');
    expect(emit).toMatch(/^emit-plugin -o .*plugin\.wasm$/);
    expect(build).toMatch(
      /^build .*main\.js -o .*main\.wasm -C source=omitted -C dynamic -C plugin=.*plugin\.wasm$/,
    );
  });

  it('turns a javy failure into a CompileError carrying its stderr', async () => {
    const javy = await script(
      'javy-fails',
      'echo "Error: Uncaught SyntaxError: unexpected token" >&2\nexit 1',
    );
    const error = await compile('let = ;', { engine: 'javy', javyPath: javy, cache: false }).catch(
      (caught: unknown) => caught,
    );
    expect(CompileError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('unexpected token');
  });

  it('kills a javy that hangs after javyTimeoutMs', async () => {
    const javy = await script('javy-hangs', 'exec sleep 30');
    const started = Date.now();
    const error = await compile('1', {
      engine: 'javy',
      javyPath: javy,
      javyTimeoutMs: 300,
      cache: false,
    }).catch((caught: unknown) => caught);
    expect(JavyUnavailableError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/did not finish within 300 ms/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
