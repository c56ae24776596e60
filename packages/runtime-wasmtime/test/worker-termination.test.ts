import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const FIXTURE = fileURLToPath(new URL('./fixtures/end-worker-mid-execution.mjs', import.meta.url));

function runFixture(mode: 'terminate' | 'exit', code: string) {
  return spawnSync(process.execPath, [FIXTURE, mode, code], { encoding: 'utf8', timeout: 60_000 });
}

// wasmtime calls back into the worker's JavaScript (epoch deadline, fd_write) while the guest
// runs; an isolate torn down under it used to crash the whole process (SIGSEGV).
describe('an execution worker ended while its guest runs inside wasmtime', () => {
  for (const [what, code] of [
    ['an endless loop', 'for (;;) {}'],
    // Writes a line every 2 ms (under the output cap): fd_write calls into JavaScript too.
    ['an endless writer', 'for (;;) { const t = Date.now(); while (Date.now() - t < 2) {} console.log(1) }'],
  ] as const) {
    it(`terminate() from outside the pool (${what}): a crash result, then a fresh worker`, () => {
      const child = runFixture('terminate', code);
      expect({ signal: child.signal, status: child.status, stderr: child.stderr }).toMatchObject({
        signal: null,
        status: 0,
      });
      const report = JSON.parse(child.stdout);
      expect(report.result).toMatchObject({
        status: 'error',
        error: { type: 'unknown', name: 'InternalError', message: expect.stringMatching(/crashed/) },
      });
      // Ended at once, not at the guest's 10 s deadline.
      expect(report.afterMs).toBeLessThan(2_000);
      // terminate() resolved once the thread had stopped.
      expect(report.exitCodes).toEqual([1]);
      expect(report.next).toMatchObject({ status: 'success', result: 42 });
    });
  }

  it('process.exit() during an execution exits with its code, not a crash', () => {
    const child = runFixture('exit', 'for (;;) console.log(1)');
    expect({ signal: child.signal, status: child.status, stderr: child.stderr }).toMatchObject({
      signal: null,
      status: 7,
    });
  });
});
