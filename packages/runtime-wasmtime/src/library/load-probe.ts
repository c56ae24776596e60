import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';

/** Longest a probe may take (loading a 30 MB library is well under a second). */
const PROBE_TIMEOUT_MS = 20_000;

// CommonJS, run with `node -e`: argv[1] = koffi's entry, argv[2] = the library.
const PROBE_SCRIPT = `
const koffi = require(process.argv[1]);
const library = koffi.load(process.argv[2]);
const engineNew = library.func('void *wasm_engine_new()');
const engineDelete = library.func('void wasm_engine_delete(void *engine)');
engineDelete(engineNew());
process.stdout.write('jsbox-library-ok');
`;

/**
 * Loads a library in a short-lived child Node process and creates and frees one wasmtime
 * engine there. A library that is corrupt in a way headers do not show can kill the process
 * that loads it (SIGBUS, SIGSEGV): better the child than the host. Resolves with what went
 * wrong, or `undefined` when the child loaded it cleanly.
 */
export function loadProblemInChildProcess(path: string): Promise<string | undefined> {
  let koffiEntry: string;
  try {
    koffiEntry = createRequire(import.meta.url).resolve('koffi');
  } catch (error) {
    return Promise.resolve(`koffi cannot be found (${(error as Error).message})`);
  }
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-e', PROBE_SCRIPT, koffiEntry, path],
      { timeout: PROBE_TIMEOUT_MS, killSignal: 'SIGKILL', maxBuffer: 1024 * 1024, windowsHide: true },
      (error, stdout, stderr) => {
        if (!error && stdout === 'jsbox-library-ok') return resolve(undefined);
        const signal = (error as { signal?: string } | null)?.signal;
        if (signal) {
          return resolve(
            signal === 'SIGKILL'
              ? `loading it did not finish within ${PROBE_TIMEOUT_MS} ms`
              : `loading it crashed a test process with ${signal}`,
          );
        }
        const detail = stderr
          .split('\n')
          .map((line) => line.trim())
          .filter((line) => line !== '' && !line.startsWith('at ') && !line.startsWith('Node.js v'))
          .slice(-2)
          .join(' ');
        resolve(`loading it failed${detail ? `: ${detail}` : ''}`);
      },
    );
  });
}
