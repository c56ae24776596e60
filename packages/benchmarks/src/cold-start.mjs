// Cold start: the first execution in a fresh process, one child process per run.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONTESTANTS } from './contestants.mjs';
import { qjsColdStartMs } from './qjs-native.mjs';
import { median, rounded } from './statistics.mjs';
import { workloadById } from './workloads.mjs';

const CHILD = new URL('./cold-start-child.mjs', import.meta.url);

function spawnChild(contestantId, env) {
  const started = performance.now();
  const output = execFileSync(process.execPath, [CHILD.pathname, contestantId], {
    encoding: 'utf8',
    env,
    timeout: 120_000,
  });
  const wallMs = performance.now() - started;
  return { wallMs, ...JSON.parse(output.trim().split('\n').pop()) };
}

function summarise(runs) {
  const pick = (key) => rounded(median(runs.map((run) => run[key])), 1);
  return {
    wallMs: pick('wallMs'),
    sinceProcessStartMs: pick('sinceProcessStartMs'),
    createMs: pick('createMs'),
    firstRunMs: pick('firstRunMs'),
    runs: runs.length,
  };
}

/**
 * Cold start of every contestant (median of `repeats` fresh processes), plus jsbox wasmtime
 * with an empty plugin cache (it compiles the engine plugin with Cranelift once per machine).
 */
export function measureColdStart({ quick, qjs, log }) {
  const repeats = quick ? 1 : 3;
  const results = {};
  for (const contestant of CONTESTANTS) {
    const runs = Array.from({ length: repeats }, () => spawnChild(contestant.id, process.env));
    results[contestant.id] = summarise(runs);
    log(`  ${contestant.label.padEnd(32)} wall ${results[contestant.id].wallMs} ms`);
  }
  const emptyCache = mkdtempSync(join(tmpdir(), 'jsbox-bench-cache-'));
  try {
    results['wasmtime-empty-cache'] = summarise([
      spawnChild('wasmtime', { ...process.env, XDG_CACHE_HOME: emptyCache }),
    ]);
    log(`  ${'jsbox wasmtime, empty cache'.padEnd(32)} wall ${results['wasmtime-empty-cache'].wallMs} ms`);
  } finally {
    rmSync(emptyCache, { recursive: true, force: true });
  }
  if (qjs.available) {
    const hello = workloadById('hello');
    const runs = Array.from({ length: repeats }, () => ({ wallMs: qjsColdStartMs(qjs.command, hello) }));
    results['qjs-native'] = { wallMs: rounded(median(runs.map((run) => run.wallMs)), 1), runs: runs.length };
    log(`  ${'qjs (native)'.padEnd(32)} wall ${results['qjs-native'].wallMs} ms`);
  }
  return results;
}
