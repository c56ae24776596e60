import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_EXIT_CODES, runCli } from '../src/cli-program.js';
import { getEnginePlugin } from '../src/engine-plugin.js';
import { runDynamic, runStatic } from './helpers/wasi-host.js';

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'jsbox-cli-test-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}

const file = async (name: string, text: string) => {
  const path = join(directory, name);
  await writeFile(path, text);
  return path;
};

describe('jsbox CLI', () => {
  it('prints help on stdout and exits 0', async () => {
    const { code, stdout, stderr } = await cli('--help');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: jsbox compile/);
    expect(stderr).toBe('');
  });

  it('compiles JavaScript to a dynamic module and emits the plugin', async () => {
    const input = await file('hello.js', 'console.log("from the cli")');
    const output = join(directory, 'hello.wasm');
    const plugin = join(directory, 'plugin.wasm');
    const { code, stdout, stderr } = await cli('compile', input, '-o', output, '--emit-plugin', plugin);
    expect(code).toBe(CLI_EXIT_CODES.ok);
    expect(stdout).toBe('');
    expect(stderr).toContain('wrote');
    expect(stderr).toContain('wasmtime run --preload jsbox-engine-v1=');
    const pluginBytes = new Uint8Array(readFileSync(plugin));
    expect(pluginBytes).toEqual(getEnginePlugin().bytes);
    const run = runDynamic(new Uint8Array(readFileSync(output)), pluginBytes, 'jsbox-engine-v1');
    expect(run.stdout).toBe('from the cli\n');
  });

  it('takes the language from a .ts extension and writes static modules', async () => {
    const input = await file('typed.ts', 'const n: number = 20;\nconsole.log(n + 1)');
    const output = join(directory, 'typed.wasm');
    const { code } = await cli('compile', input, '-o', output, '--format', 'static', '--quiet');
    expect(code).toBe(0);
    expect(runStatic(new Uint8Array(readFileSync(output))).stdout).toBe('21\n');
  });

  it('exits 1 on a compile error and writes nothing', async () => {
    const input = await file('broken.js', 'let x = ;');
    const output = join(directory, 'broken.wasm');
    const { code, stderr } = await cli('compile', input, '-o', output);
    expect(code).toBe(CLI_EXIT_CODES.compileError);
    expect(stderr).toMatch(/compile error: SyntaxError: .*\(line 1, column 9\)/);
    expect(existsSync(output)).toBe(false);
  });

  it('exits 2 on usage errors with a pointer to --help', async () => {
    for (const argv of [
      [],
      ['build'],
      ['compile'],
      ['compile', 'a.js'],
      ['compile', 'a.js', '-o', 'b', '--nope'],
    ]) {
      const { code, stderr } = await cli(...argv);
      expect(code, argv.join(' ')).toBe(CLI_EXIT_CODES.usage);
      expect(stderr).toContain('jsbox --help');
    }
    const input = await file('ok.js', '1');
    const bad = await cli('compile', input, '-o', join(directory, 'x.wasm'), '--format', 'wat');
    expect(bad.code).toBe(CLI_EXIT_CODES.usage);
    expect(bad.stderr).toContain('valid formats: dynamic, static, component');
  });

  it('exits 3 when input cannot be read or a tool is missing', async () => {
    expect((await cli('compile', join(directory, 'none.js'), '-o', join(directory, 'x.wasm'))).code).toBe(
      CLI_EXIT_CODES.environment,
    );
    const input = await file('javy.js', '1');
    const missing = await cli(
      'compile',
      input,
      '-o',
      join(directory, 'y.wasm'),
      '--engine',
      'javy',
      '--javy-path',
      join(directory, 'no-javy'),
    );
    expect(missing.code).toBe(CLI_EXIT_CODES.environment);
    expect(missing.stderr).toMatch(/javy/);
  });
});
