import type { ExecutionRequest, ExecutionResult } from '@jsbox/core';

/** What a hostile case must end in. `limit`/`type` are checked when given. */
export interface Expectation {
  status: ExecutionResult['status'];
  type?: 'syntax' | 'runtime' | 'permission' | 'resource' | 'unknown';
  limit?: 'memory' | 'stack' | 'output' | 'code_size' | 'fuel';
  /** For success: the exact value. */
  result?: unknown;
  /** Extra check on the result. */
  also?: (result: ExecutionResult) => string | undefined;
}

/** One attack. `family` groups them in reports. Limits are small so the suite stays fast. */
export interface AdversarialCase {
  family: 'escape' | 'cpu' | 'memory' | 'stack' | 'input' | 'output';
  name: string;
  request: ExecutionRequest;
  /** Any of these outcomes is acceptable (backends may stop a CPU bomb by fuel or by deadline). */
  expect: Expectation | Expectation[];
  /** Upper bound on durationMs (default: the request's timeout + 2 s). */
  maxDurationMs?: number;
}

const FAST = { timeoutMs: 500 };
const SMALL_MEMORY = { memoryLimitBytes: 16 * 1024 * 1024, timeoutMs: 3000 };
const CPU_STOP: Expectation[] = [{ status: 'timeout' }, { status: 'error', type: 'resource', limit: 'fuel' }];
// Every backend reports heap exhaustion, QuickJS's string length cap ("string too long") and an
// allocation QuickJS cannot even describe (an uncaught `null`) as the memory limit.
const MEMORY_STOP: Expectation = { status: 'error', type: 'resource', limit: 'memory' };
const ok = (result: unknown): Expectation => ({ status: 'success', result });
const violation: Expectation = { status: 'security_violation' };
const undefinedValue = { $jsbox: 'undefined' };

export const ADVERSARIAL_CASES: AdversarialCase[] = [
  // --- escapes: nothing of the host is reachable ---
  {
    family: 'escape',
    name: 'process is absent',
    request: { code: 'typeof process' },
    expect: ok('undefined'),
  },
  {
    family: 'escape',
    name: 'require throws and is reported',
    request: { code: 'require("child_process").execSync("id")' },
    expect: violation,
  },
  {
    family: 'escape',
    name: 'require via globalThis',
    request: { code: 'globalThis["req" + "uire"]("fs")' },
    expect: violation,
  },
  {
    family: 'escape',
    name: 'dynamic import of a node builtin',
    request: { code: 'await import("node:fs")' },
    expect: violation,
  },
  {
    family: 'escape',
    name: 'dynamic import of a file',
    request: { code: 'await import("/etc/passwd")' },
    expect: violation,
  },
  {
    family: 'escape',
    name: 'dynamic import swallowed',
    request: { code: 'import("os").catch(() => 0); 1' },
    expect: violation,
  },
  {
    family: 'escape',
    name: 'static import is not a module',
    request: { code: 'import fs from "fs";\nfs' },
    expect: { status: 'error', type: 'syntax' },
  },
  {
    family: 'escape',
    name: 'Function constructor reaches only the sandbox global',
    request: {
      code: 'const g = Function("return this")(); [typeof g.process, typeof g.require === "function"]',
    },
    expect: ok(['undefined', true]),
  },
  {
    family: 'escape',
    name: 'constructor chain of a host-provided function',
    request: {
      code: 'const F = console.log.constructor; const g = F("return globalThis")(); [typeof g.process, typeof g.Buffer]',
    },
    expect: ok(['undefined', 'undefined']),
  },
  {
    family: 'escape',
    name: 'indirect eval sees no host',
    request: { code: '(0, eval)("typeof process + typeof global")' },
    expect: ok('undefinedundefined'),
  },
  {
    family: 'escape',
    name: 'Javy.IO cannot read files or other fds',
    request: {
      code: 'const b = new Uint8Array(8); let r; try { r = Javy.IO.readSync(5, b); } catch (e) { r = e.name; }\nr',
    },
    expect: ok('RangeError'),
  },
  {
    family: 'escape',
    name: 'Javy.IO cannot write to other fds',
    request: {
      code: 'let r; try { r = Javy.IO.writeSync(7, new Uint8Array([1])); } catch (e) { r = e.name; }\nr',
    },
    expect: ok('RangeError'),
  },
  {
    family: 'escape',
    name: 'prototype pollution stays in its execution',
    request: { code: 'Object.prototype.polluted = "yes"; Array.prototype.map = null; JSON.parse = null; 1' },
    expect: ok(1),
  },
  {
    family: 'escape',
    name: 'a poisoned toJSON cannot fake the result channel',
    request: { code: '({ toJSON() { return { kind: "value", value: "forged" }; } })' },
    expect: ok({ kind: 'value', value: 'forged' }),
  },
  {
    family: 'escape',
    name: 'writing fake result JSON to stdout stays stdout',
    request: { code: 'console.log(JSON.stringify({ kind: "value", value: 99 })); 1' },
    expect: {
      status: 'success',
      result: 1,
      also: (r) => (r.stdout.includes('"value":99') ? undefined : 'stdout lost'),
    },
  },
  {
    family: 'escape',
    name: 'no WebAssembly inside',
    request: { code: 'typeof WebAssembly' },
    expect: ok('undefined'),
  },
  {
    family: 'escape',
    name: 'no timers to outlive the run',
    request: { code: '[typeof setTimeout, typeof setInterval, typeof queueMicrotask]' },
    expect: [ok(['undefined', 'undefined', 'undefined']), ok(['undefined', 'undefined', 'function'])],
  },
  {
    family: 'escape',
    name: 'no std/os modules of QuickJS',
    request: { code: '[typeof std, typeof os, typeof scriptArgs]' },
    expect: ok(['undefined', 'undefined', 'undefined']),
  },

  // --- CPU ---
  {
    family: 'cpu',
    name: 'plain infinite loop',
    request: { code: 'for (;;) {}', limits: FAST },
    expect: CPU_STOP,
  },
  {
    family: 'cpu',
    name: 'infinite loop in a promise job',
    request: { code: 'Promise.resolve().then(() => { for (;;) {} }); 0', limits: FAST },
    expect: CPU_STOP,
  },
  {
    family: 'cpu',
    name: 'infinite loop after await',
    request: { code: 'await 1;\nfor (;;) {}', limits: FAST },
    expect: CPU_STOP,
  },
  {
    family: 'cpu',
    name: 'endless promise chain',
    request: {
      code: 'const spin = () => Promise.resolve().then(spin); spin(); await new Promise(() => {})',
      limits: FAST,
    },
    expect: CPU_STOP,
  },
  {
    family: 'cpu',
    name: 'infinite loop in a getter read by the encoder',
    request: { code: '({ get x() { for (;;) {} } })', limits: FAST },
    expect: CPU_STOP,
  },
  {
    family: 'cpu',
    name: 'infinite loop in toJSON',
    request: { code: '({ toJSON() { for (;;) {} } })', limits: FAST },
    expect: CPU_STOP,
  },
  {
    family: 'cpu',
    name: 'infinite loop in toString called by console',
    request: { code: 'console.log({ toString() { for (;;) {} } } + ""); 1', limits: FAST },
    expect: CPU_STOP,
  },
  {
    family: 'cpu',
    name: 'infinite loop in an error name getter',
    request: { code: 'throw { get name() { for (;;) {} } }', limits: FAST },
    expect: CPU_STOP,
  },
  {
    family: 'cpu',
    name: 'catastrophic regular expression',
    request: { code: '/^(a+)+$/.test("a".repeat(40) + "b")', limits: FAST },
    expect: CPU_STOP,
  },
  {
    family: 'cpu',
    name: 'huge sort with a slow comparator',
    request: {
      code: 'Array.from({ length: 1e6 }, (_, i) => -i).sort((a, b) => { for (let k = 0; k < 1e3; k++); return a - b; })',
      limits: FAST,
    },
    expect: CPU_STOP,
  },
  {
    family: 'cpu',
    name: 'loop that catches everything it can',
    request: { code: 'for (;;) { try { for (;;) {} } catch (e) {} }', limits: FAST },
    expect: CPU_STOP,
  },
  {
    family: 'cpu',
    name: 'loop in finally',
    request: { code: 'try { throw 1 } finally { for (;;) {} }', limits: FAST },
    expect: CPU_STOP,
  },
  {
    family: 'cpu',
    name: 'recursion with catch retry',
    request: { code: 'function f() { try { f(); } catch { f(); } }\nf()', limits: FAST },
    expect: [...CPU_STOP, { status: 'error', type: 'resource', limit: 'stack' }],
  },

  // --- memory ---
  {
    family: 'memory',
    name: 'string doubling',
    request: { code: 'let s = "x"; for (;;) s += s;', limits: SMALL_MEMORY },
    expect: MEMORY_STOP,
  },
  {
    family: 'memory',
    name: 'array growth',
    request: { code: 'const a = []; for (;;) a.push({ i: a.length });', limits: SMALL_MEMORY },
    expect: MEMORY_STOP,
  },
  {
    family: 'memory',
    name: 'typed array over the cap',
    request: { code: 'new Uint8Array(64 * 1024 * 1024).length', limits: SMALL_MEMORY },
    expect: MEMORY_STOP,
  },
  {
    family: 'memory',
    name: 'typed array allocation loop',
    request: {
      code: 'const keep = []; for (;;) keep.push(new Float64Array(1 << 16));',
      limits: SMALL_MEMORY,
    },
    expect: MEMORY_STOP,
  },
  {
    family: 'memory',
    name: 'many small objects in a map',
    request: { code: 'const m = new Map(); for (let i = 0; ; i++) m.set(i, [i]);', limits: SMALL_MEMORY },
    expect: MEMORY_STOP,
  },
  {
    family: 'memory',
    name: 'big array literal join',
    request: { code: 'new Array(1e8).join("x").length', limits: SMALL_MEMORY },
    // Joining 1e8 holes takes seconds before the heap fills: a slow machine may hit the deadline first.
    expect: [MEMORY_STOP, ...CPU_STOP],
  },
  {
    family: 'memory',
    name: 'memory bomb caught and retried',
    request: {
      code: 'let n = 0; for (;;) { try { let s = "x"; for (;;) s += s; } catch (e) { if (++n > 3) throw e; } }',
      limits: SMALL_MEMORY,
    },
    expect: MEMORY_STOP,
  },
  {
    family: 'memory',
    name: 'a result of hundreds of MB',
    request: {
      code: '"x".repeat(300 * 1024 * 1024)',
      limits: { memoryLimitBytes: 64 * 1024 * 1024, timeoutMs: 3000 },
    },
    expect: MEMORY_STOP,
  },
  {
    family: 'memory',
    name: 'a result just over maxResultBytes',
    request: { code: 'Array.from({ length: 2000 }, (_, i) => i)', limits: { maxResultBytes: 1024 } },
    expect: { status: 'error', type: 'resource', limit: 'output' },
  },

  // --- output ---
  {
    family: 'output',
    name: 'stdout flood',
    request: {
      code: 'for (;;) console.log("y".repeat(1000))',
      limits: { maxOutputBytes: 4096, timeoutMs: 3000 },
    },
    expect: { status: 'error', type: 'resource', limit: 'output' },
  },
  {
    family: 'output',
    name: 'stderr flood',
    request: {
      code: 'for (;;) console.error("z".repeat(1000))',
      limits: { maxOutputBytes: 4096, timeoutMs: 3000 },
    },
    expect: {
      status: 'error',
      type: 'resource',
      limit: 'output',
      also: (r) => (r.truncated.stderr ? undefined : 'stderr not flagged'),
    },
  },
  {
    family: 'output',
    name: 'one giant write',
    request: {
      code: 'console.log("w".repeat(50 * 1024 * 1024))',
      limits: { maxOutputBytes: 4096, memoryLimitBytes: 128 * 1024 * 1024, timeoutMs: 5000 },
    },
    // Which cap comes first depends on whether the engine can copy a 50 MiB string for the write
    // within its heap (both backends currently run out of memory); either stops the program safely.
    expect: [{ status: 'error', type: 'resource', limit: 'output' }, MEMORY_STOP],
  },
  {
    family: 'output',
    name: 'raw writeSync flood',
    request: {
      code: 'const b = new Uint8Array(65536).fill(65); for (;;) Javy.IO.writeSync(1, b);',
      limits: { maxOutputBytes: 4096, timeoutMs: 3000 },
    },
    expect: { status: 'error', type: 'resource', limit: 'output' },
  },
  {
    family: 'output',
    name: 'flood swallowed by try/catch',
    request: {
      code: 'for (;;) { try { console.log("q".repeat(100)); } catch {} }',
      limits: { maxOutputBytes: 2048, timeoutMs: 1000 },
    },
    expect: [{ status: 'error', type: 'resource', limit: 'output' }, ...CPU_STOP],
  },

  // --- stack ---
  {
    family: 'stack',
    name: 'deep recursion',
    request: { code: 'const f = (n) => f(n + 1) + 1;\nf(0)' },
    expect: { status: 'error', type: 'resource', limit: 'stack' },
  },
  {
    family: 'stack',
    name: 'mutual recursion',
    request: { code: 'function a(n) { return b(n) + 1; } function b(n) { return a(n) + 1; }\na(0)' },
    expect: { status: 'error', type: 'resource', limit: 'stack' },
  },
  {
    family: 'stack',
    name: 'recursion through getters',
    request: { code: 'const o = { get x() { return this.x; } }; o.x' },
    expect: { status: 'error', type: 'resource', limit: 'stack' },
  },
  {
    family: 'stack',
    name: 'recursion through toString',
    request: { code: 'const o = { toString() { return "" + o; } }; "" + o' },
    expect: { status: 'error', type: 'resource', limit: 'stack' },
  },
  {
    family: 'stack',
    name: 'deep JSON.parse nesting',
    request: { code: 'JSON.parse("[".repeat(1e5) + "]".repeat(1e5)).length' },
    expect: { status: 'error', type: 'resource', limit: 'stack' },
  },
  {
    family: 'stack',
    name: 'deeply nested result is cut, not crashed',
    request: { code: 'let d = 0; for (let i = 0; i < 1e5; i++) d = [d]; d' },
    expect: {
      status: 'success',
      also: (r) => (JSON.stringify(r).includes('depth_limit') ? undefined : 'no depth_limit marker'),
    },
  },
  {
    family: 'stack',
    name: 'deeply nested object logged',
    request: { code: 'let d = {}; for (let i = 0; i < 1e5; i++) d = { d }; console.log(d); 1' },
    expect: ok(1),
  },
  {
    family: 'stack',
    name: 'tiny stack limit still gives a clean error',
    request: { code: 'const f = (n) => f(n + 1);\nf(0)', limits: { maxStackSizeBytes: 16 * 1024 } },
    expect: { status: 'error', type: 'resource', limit: 'stack' },
  },

  // --- input and code ---
  {
    family: 'input',
    name: 'code at the size cap runs',
    request: { code: `${'1;'.repeat(499)}2`, limits: { maxCodeBytes: 1000 } },
    expect: ok(2),
  },
  {
    family: 'input',
    name: 'code one byte over the cap',
    request: { code: `${'1;'.repeat(500)}2`, limits: { maxCodeBytes: 1000 } },
    expect: { status: 'error', type: 'resource', limit: 'code_size' },
  },
  {
    family: 'input',
    name: 'multi-byte code counts bytes, not characters',
    request: { code: `"${'é'.repeat(600)}"`, limits: { maxCodeBytes: 1000 } },
    expect: { status: 'error', type: 'resource', limit: 'code_size' },
  },
  { family: 'input', name: 'a BOM before the code', request: { code: '\ufeff40 + 2' }, expect: ok(42) },
  {
    family: 'input',
    name: 'replacement characters from invalid UTF-8',
    request: { code: '"\ufffd\ufffd".length' },
    expect: ok(2),
  },
  {
    family: 'input',
    name: 'escaped NUL inside a string literal is fine',
    request: { code: '"a\\u0000b".length' },
    expect: ok(3),
  },
  {
    family: 'input',
    name: 'huge input within the cap',
    request: {
      code: 'input.length',
      input: Array.from({ length: 20000 }, (_, i) => i),
      limits: { maxInputBytes: 1024 * 1024 },
    },
    expect: ok(20000),
  },
  {
    family: 'input',
    name: 'deep input within the cap',
    request: {
      code: 'let d = 0, x = input; while (Array.isArray(x)) { x = x[0]; d++; }\nd',
      input: JSON.parse(`${'['.repeat(200)}0${']'.repeat(200)}`),
    },
    expect: ok(200),
  },
  {
    family: 'input',
    name: 'input strings with quotes and newlines',
    request: { code: 'input', input: { s: '"\n\u2028</script>' } },
    expect: ok({ s: '"\n\u2028</script>' }),
  },
  {
    family: 'input',
    name: 'input cannot be used to inject code',
    request: { code: 'typeof input.constructor', input: { constructor: 'x"); process.exit(1); ("' } },
    expect: ok('string'),
  },
  {
    family: 'input',
    name: 'syntax error at the end of a long program',
    request: { code: `${'let a0 = 0;\n'.repeat(300)}let = ;` },
    expect: { status: 'error', type: 'syntax' },
  },
  {
    family: 'input',
    name: 'unterminated template literal',
    request: { code: '`abc ${' },
    expect: { status: 'error', type: 'syntax' },
  },
  {
    family: 'input',
    name: 'html comment and hashbang',
    request: { code: '#!/usr/bin/env node\n1 + 1' },
    expect: ok(2),
  },
  {
    family: 'input',
    name: 'undefined result is encoded',
    request: { code: 'void 0' },
    expect: ok(undefinedValue),
  },
];
