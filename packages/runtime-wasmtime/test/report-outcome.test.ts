// How a worker's report of a module run becomes the contract's outcome, for ends that the
// integration tests cannot provoke on demand (a full instance pool).
import { describe, expect, it } from 'vitest';
import { outcomeOfReport } from '../src/backend/report-outcome.js';
import type { ModuleReport } from '../src/runner/module-task.js';
import { POOL } from '../src/wasmtime/engine.js';

const context = { timeoutMs: 1000, fuel: 1e9, maxOutputBytes: 1024, maxResultBytes: 1024 };

function report(end: ModuleReport['end']): ModuleReport {
  return {
    end,
    stdout: '',
    stderr: '',
    truncated: { stdout: false, stderr: false },
    outcomeText: '',
    fuelConsumed: 0,
    durationMs: 1,
  };
}

describe('outcomeOfReport', () => {
  it('reports a full instance pool as the host being busy, not as the guest running out of memory', () => {
    const outcome = outcomeOfReport(
      report({ kind: 'error', message: 'maximum concurrent limit of 500 for memory stripe 0 reached' }),
      context,
    );
    expect(outcome.kind).toBe('crash');
    expect(outcome.kind === 'crash' && outcome.message).toMatch(/no free instance slot/);
    expect(outcome.kind === 'crash' && outcome.message).toContain(String(POOL.memories));
  });

  it('still reports a memory that could not grow as the memory limit', () => {
    const outcome = outcomeOfReport(
      report({ kind: 'error', message: 'memory minimum size of 300 pages exceeds memory limits' }),
      context,
    );
    expect(outcome).toMatchObject({ kind: 'limit', limit: 'memory' });
  });
});
