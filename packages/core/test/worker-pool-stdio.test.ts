import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// In a child process: the pool's worker prints, the pool is never disposed.
describe('WorkerPool stdio and process lifetime', () => {
  it("sends a worker's stdout to stderr, and idle workers do not keep the process alive", async () => {
    const script = join(mkdtempSync(join(tmpdir(), 'jsbox-pool-stdio-')), 'main.mjs');
    writeFileSync(
      script,
      `const { WorkerPool } = await import(${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)});
      const pool = new WorkerPool({ workerUrl: new URL(${JSON.stringify(new URL('./fixtures/pool-test-worker.mjs', import.meta.url).href)}), name: 'test', poolSize: 1 });
      const outcome = await pool.run({ op: 'print' }, { hardDeadlineMs: 10000 });
      // Worker stdio reaches the parent asynchronously (it can trail the reply message): give it
      // a moment. The process must still end by itself: the idle worker does not hold it open.
      await new Promise((resolve) => setTimeout(resolve, 300));
      process.stderr.write('reply ' + JSON.stringify(outcome) + '\\n');`,
    );
    const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) =>
      execFile(process.execPath, [script], { timeout: 30_000 }, (error, out, err) =>
        error ? reject(new Error(`${error.message}\n${err}`)) : resolve({ stdout: out, stderr: err }),
      ),
    );
    expect(stdout).toBe('');
    expect(stderr).toContain('printed by a worker');
    expect(stderr).toContain('reply {"kind":"reply","reply":{"printed":true}}');
  }, 40_000);
});
