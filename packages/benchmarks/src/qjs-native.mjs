// The native QuickJS interpreter (`qjs`, e.g. Debian's `quickjs` package): the speed limit of
// the interpreter both jsbox backends embed. It runs out of process, so the suite measures it
// from inside: a script runs the workload in a loop and prints its timings. No fresh context per
// run (qjs cannot make one from a script): indirect eval in one realm, so this is a speed
// reference, not an isolation model.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Finds a qjs binary: the `--qjs=PATH` flag, else `qjs` on PATH. Resolves to
 * `{ available: true, command, version }` or `{ available: false, note }`; never throws.
 */
export function findQjs(flagPath) {
  const command = flagPath ?? 'qjs';
  const probe = spawnSync(command, ['-e', 'print(1 + 1)'], { encoding: 'utf8', timeout: 10_000 });
  if (probe.error || probe.stdout.trim() !== '2') {
    return {
      available: false,
      note:
        `no native QuickJS interpreter (\`${command}\` ${probe.error ? 'not found' : 'did not run'}); ` +
        'install it with `apt-get install -y quickjs` where the distribution has it, or pass --qjs=PATH',
    };
  }
  const help = spawnSync(command, ['-h'], { encoding: 'utf8', timeout: 10_000 });
  const version = /version\s+([\w.-]+)/i.exec(`${help.stdout}${help.stderr}`)?.[1] ?? 'unknown';
  return { available: true, command, version };
}

/** The qjs script: runs `source` `rounds` times in batches, prints the per-run times as JSON. */
function loopScript(source, rounds, batch) {
  return `var SOURCE = ${JSON.stringify(source)};
var now = typeof performance === "object" ? function () { return performance.now(); } : Date.now;
async function main() {
  var times = [];
  for (var round = 0; round < ${rounds}; round++) {
    var started = now();
    for (var i = 0; i < ${batch}; i++) { var value = (0, eval)(SOURCE); if (value && typeof value.then === "function") value = await value; }
    times.push((now() - started) / ${batch});
  }
  print(JSON.stringify({ times: times, value: value === undefined ? null : value }));
}
main();
`;
}

/**
 * Runs `workload` in one qjs process: `rounds` timed rounds of `batch` runs each (batches,
 * because qjs 2021's only clock is Date.now, in whole milliseconds). Returns per-run times (ms)
 * and the last answer.
 */
export function runQjsLoop(command, workload, { rounds, batch }) {
  const directory = mkdtempSync(join(tmpdir(), 'jsbox-bench-qjs-'));
  try {
    const file = join(directory, `${workload.id}.js`);
    writeFileSync(file, loopScript(workload.code, rounds, batch));
    const output = execFileSync(command, [file], { encoding: 'utf8', timeout: 300_000 });
    return JSON.parse(output.trim().split('\n').pop());
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** Wall time of `qjs hello.js` from spawn to exit (cold start), in ms. */
export function qjsColdStartMs(command, workload) {
  const directory = mkdtempSync(join(tmpdir(), 'jsbox-bench-qjs-'));
  try {
    const file = join(directory, 'hello.js');
    writeFileSync(file, workload.code);
    const started = performance.now();
    execFileSync(command, [file], { stdio: 'ignore', timeout: 60_000 });
    return performance.now() - started;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
