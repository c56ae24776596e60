import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const run = (args: string[], input?: string) =>
  spawnSync(process.execPath, [cli, ...args], {
    encoding: 'utf8',
    input,
    env: { ...process.env, MCP_SANDBOX_BACKEND: 'quickjs' },
  });

describe('jsbox-run CLI', () => {
  it('runs an inline snippet and prints output then the value', () => {
    const result = run(['-e', 'console.log("hi"); input.n * 2', '--input', '{"n":21}']);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('hi\n42\n');
  });

  it('reads the program from stdin', () => {
    const result = run([], '[1, 2].map((n) => n * 10)');
    expect(result.stdout).toBe('[10,20]\n');
  });

  it('exits non-zero on guest failure, with a readable message', () => {
    const error = run(['-e', 'null.x']);
    expect(error.status).toBe(1);
    expect(error.stderr).toMatch(/runtime error: TypeError/);
    const timeout = run(['-e', 'for(;;){}', '--timeout-ms', '200']);
    expect(timeout.status).toBe(124);
    const violation = run(['-e', 'require("fs")']);
    expect(violation.status).toBe(3);
  });

  it('prints the whole result with --json', () => {
    const result = run(['-e', '1 + 1', '--json']);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'success', result: 2, backend: 'quickjs' });
  });

  it('rejects bad usage with exit code 2', () => {
    expect(run(['-e', '1', '--timeout-ms', 'soon']).status).toBe(2);
    expect(run(['-e', '1', '--input', '{bad']).stderr).toMatch(/not valid JSON/);
    expect(run(['-e', '1', '--backend', 'v8']).stderr).toMatch(/valid backends: auto, quickjs, wasmtime/);
    expect(run(['--help']).stdout).toMatch(/Usage: jsbox-run/);
  });
});
