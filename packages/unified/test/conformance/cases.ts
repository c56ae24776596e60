import type { ExecutionRequest, ExecutionResult } from '@jsbox/core';
import { expect } from 'vitest';

/** One program every backend must handle identically. */
export interface ConformanceCase {
  name: string;
  request: ExecutionRequest;
  check(result: ExecutionResult): void;
}

const success = (value: unknown) => (result: ExecutionResult) => {
  expect(result, JSON.stringify(result)).toMatchObject({ status: 'success' });
  if (result.status === 'success') expect(result.result).toEqual(value);
};

const errorOf =
  (type: string, extra: Record<string, unknown> = {}) =>
  (result: ExecutionResult) => {
    expect(result, JSON.stringify(result).slice(0, 2000)).toMatchObject({
      status: 'error',
      error: { type, ...extra },
    });
  };

/** Nested array brackets: 10 000 levels are past every engine's parser stack. */
const NESTED_CODE = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;

const UNDEFINED = { $jsbox: 'undefined' };

/** The shared suite. Limits are kept small so hostile cases finish fast. */
export const CONFORMANCE_CASES: ConformanceCase[] = [
  { name: 'arithmetic', request: { code: '1 + 1' }, check: success(2) },
  { name: 'last expression statement wins', request: { code: 'let a = 2;\na * 21;\n' }, check: success(42) },
  {
    name: 'console.log goes to stdout, the value is undefined',
    request: { code: 'console.log("hi")' },
    check(result) {
      success(UNDEFINED)(result);
      expect(result.stdout).toBe('hi\n');
      expect(result.stderr).toBe('');
    },
  },
  {
    name: 'console.error and warn go to stderr, info and debug to stdout',
    request: { code: 'console.error("e1"); console.warn("w1"); console.info("i1"); console.debug("d1"); 0' },
    check(result) {
      success(0)(result);
      expect(result.stderr).toBe('e1\nw1\n');
      expect(result.stdout).toBe('i1\nd1\n');
    },
  },
  {
    name: 'console formats objects',
    request: { code: 'console.log("n", 1, { a: [1, "x"] }, null, undefined, 2n); 0' },
    check(result) {
      expect(result.stdout).toBe('n 1 { a: [ 1, "x" ] } null undefined 2n\n');
    },
  },
  {
    name: 'input is a global',
    request: { code: 'input.a + input.b', input: { a: 1, b: 2 } },
    check: success(3),
  },
  { name: 'no input means undefined', request: { code: 'typeof input' }, check: success('undefined') },
  {
    name: 'stdin carries the input as JSON for Javy.IO.readSync',
    request: {
      code: [
        'const buffer = new Uint8Array(64);',
        'const n = Javy.IO.readSync(0, buffer);',
        'String.fromCharCode(...buffer.subarray(0, n));',
      ].join('\n'),
      input: { k: 1 },
    },
    check: success('{"k":1}'),
  },
  {
    name: 'Javy.IO rejects other fds and non-byte buffers with one error',
    request: {
      code: [
        'const attempt = (f) => { try { return f(); } catch (e) { return [e.name, e instanceof RangeError, e.message]; } };',
        '[',
        '  attempt(() => Javy.IO.writeSync(3, new Uint8Array([65]))),',
        '  attempt(() => Javy.IO.readSync(1, new Uint8Array(4))),',
        '  attempt(() => Javy.IO.writeSync(1, new ArrayBuffer(1))),',
        ']',
      ].join('\n'),
    },
    check(result) {
      success([
        ['RangeError', true, 'Javy.IO.writeSync can only write to fd 1 (stdout) or 2 (stderr), not 3'],
        ['RangeError', true, 'Javy.IO.readSync can only read from fd 0 (stdin), not 1'],
        ['TypeError', false, 'Javy.IO.writeSync expects a Uint8Array (or a string) to write'],
      ])(result);
      expect(result.stdout).toBe('');
    },
  },
  {
    name: 'Javy.IO.writeSync writes raw bytes to stdout',
    request: { code: 'Javy.IO.writeSync(1, new Uint8Array([104, 105, 10])); 1' },
    check(result) {
      success(1)(result);
      expect(result.stdout).toBe('hi\n');
    },
  },
  {
    name: 'objects and arrays',
    request: { code: '({ a: [1, "two", true, null] })' },
    check: success({ a: [1, 'two', true, null] }),
  },
  {
    name: 'non-JSON values are encoded',
    request: {
      code: '({ u: undefined, b: 10n, f: function foo() {}, m: new Map([[1, 2]]), s: new Set(["x"]), n: NaN, d: new Date(0) })',
    },
    check: success({
      u: UNDEFINED,
      b: { $jsbox: 'bigint', value: '10' },
      f: { $jsbox: 'function', name: 'foo' },
      m: { $jsbox: 'map', entries: [[1, 2]] },
      s: { $jsbox: 'set', values: ['x'] },
      n: { $jsbox: 'number', value: 'NaN' },
      d: { $jsbox: 'date', value: '1970-01-01T00:00:00.000Z' },
    }),
  },
  {
    name: 'cycles are encoded with the path of the first occurrence',
    request: { code: 'const o = { a: {} }; o.a.back = o; o' },
    check: success({ a: { back: { $jsbox: 'circular', path: '$' } } }),
  },
  {
    name: 'top-level await',
    request: { code: 'const x = await Promise.resolve(2);\nx * 3;' },
    check: success(6),
  },
  { name: 'a promise value is settled', request: { code: 'Promise.resolve(7)' }, check: success(7) },
  {
    name: 'async function results are settled after promise jobs',
    request: { code: '(async () => { await null; await null; return "done"; })()' },
    check: success('done'),
  },
  {
    name: 'promise jobs run before the program ends',
    request: {
      code: 'let seen = [];\nPromise.resolve().then(() => seen.push(1)).then(() => seen.push(2));\nawait null; await null; await null;\nseen',
    },
    check: success([1, 2]),
  },
  {
    name: 'a rejected promise is a runtime error',
    request: { code: 'Promise.reject(new TypeError("nope"))' },
    check: errorOf('runtime', { name: 'TypeError', message: 'nope' }),
  },
  {
    name: 'a never-settled promise is reported',
    request: { code: 'await new Promise(() => {})' },
    check: errorOf('runtime', { name: 'UnsettledPromiseError' }),
  },
  {
    name: 'syntax errors have type syntax and a line',
    request: { code: 'let ok = 1;\nlet x = ;' },
    check(result) {
      errorOf('syntax', { name: 'SyntaxError' })(result);
      if (result.status === 'error') expect(result.error.line).toBe(2);
    },
  },
  {
    name: 'runtime errors carry the user line and column',
    request: { code: 'const a = 1;\nfunction f() {\n  return null.x;\n}\nf();' },
    check(result) {
      errorOf('runtime', { name: 'TypeError' })(result);
      if (result.status === 'error') {
        expect(result.error.line).toBe(3);
        expect(result.error.stack).toContain('main.js:3');
      }
    },
  },
  {
    name: 'thrown non-errors are described',
    request: { code: 'throw "plain"' },
    check: errorOf('runtime', { message: 'Uncaught "plain"' }),
  },
  {
    name: 'infinite loop times out',
    request: { code: 'for (;;) {}', limits: { timeoutMs: 300 } },
    check(result) {
      expect(result).toMatchObject({ status: 'timeout', reason: 'deadline', timeoutMs: 300 });
      if (result.status === 'timeout') {
        expect(result.elapsedMs).toBeGreaterThanOrEqual(290);
        expect(result.elapsedMs).toBeLessThan(3000);
      }
    },
  },
  {
    name: 'infinite loop in a promise job times out',
    request: { code: 'Promise.resolve().then(() => { for (;;) {} }); 1', limits: { timeoutMs: 300 } },
    check: (result) => expect(result).toMatchObject({ status: 'timeout' }),
  },
  {
    name: 'infinite loop after await times out',
    request: { code: 'await null;\nwhile (true) {}', limits: { timeoutMs: 300 } },
    check: (result) => expect(result).toMatchObject({ status: 'timeout' }),
  },
  {
    name: 'output written before a timeout is kept',
    request: { code: 'console.log("before"); for (;;) {}', limits: { timeoutMs: 300 } },
    check(result) {
      expect(result.status).toBe('timeout');
      expect(result.stdout).toBe('before\n');
    },
  },
  {
    name: 'memory bomb hits the memory limit',
    request: {
      code: 'const keep = []; for (;;) keep.push("x".repeat(65536) + keep.length);',
      limits: { memoryLimitBytes: 16 * 1024 * 1024 },
    },
    check: errorOf('resource', { limit: 'memory' }),
  },
  {
    name: 'many small objects hit the memory limit',
    request: {
      code: 'const a = []; for (;;) a.push({ i: a.length });',
      limits: { memoryLimitBytes: 16 * 1024 * 1024, timeoutMs: 5000 },
    },
    check: errorOf('resource', { limit: 'memory' }),
  },
  {
    name: 'string doubling hits the memory limit',
    request: { code: 'let s = "x"; for (;;) s += s;', limits: { memoryLimitBytes: 16 * 1024 * 1024 } },
    check: errorOf('resource', { limit: 'memory', name: 'InternalError', message: 'string too long' }),
  },
  {
    name: 'uncaught deep recursion hits the stack limit with a short stack',
    request: { code: 'function down(n) { return down(n + 1) + 1; }\ndown(0)' },
    check(result) {
      errorOf('resource', { limit: 'stack', name: 'RangeError', message: 'stack overflow', line: 1 })(result);
      if (result.status !== 'error') return;
      expect(result.error.stack).toContain('main.js:1');
      expect(result.error.stack!.length).toBeLessThan(8 * 1024);
      expect(result.error.stack).toMatch(/\.\.\. \d+ more frames\n$/);
    },
  },
  {
    name: 'deep recursion is a catchable RangeError in the guest',
    request: {
      code: 'function down(n) { return down(n + 1) + 1; }\nlet caught = "none";\ntry { down(0); } catch (e) { caught = [e.name, e instanceof RangeError, e instanceof Error, String(e)]; }\ncaught',
    },
    check: success(['RangeError', true, true, 'RangeError: stack overflow']),
  },
  {
    name: 'code nested 10 000 levels deep hits the stack limit',
    request: { code: NESTED_CODE },
    check: errorOf('resource', { limit: 'stack' }),
  },
  {
    name: 'eval of code nested 10 000 levels deep hits the stack limit, even inside try',
    request: { code: `try { eval(${JSON.stringify(NESTED_CODE)}); } catch (e) { e.name }` },
    check: errorOf('resource', { limit: 'stack' }),
  },
  {
    name: 'output flood is capped and stops the program',
    request: {
      code: 'for (;;) console.log("flood flood flood flood")',
      limits: { maxOutputBytes: 1024, timeoutMs: 5000 },
    },
    check(result) {
      errorOf('resource', { limit: 'output' })(result);
      expect(result.truncated.stdout).toBe(true);
      expect(Buffer.byteLength(result.stdout)).toBeLessThanOrEqual(1024);
      expect(result.stdout.startsWith('flood')).toBe(true);
    },
  },
  {
    name: 'a result over maxResultBytes is a resource error',
    request: { code: '"x".repeat(5000)', limits: { maxResultBytes: 1000 } },
    check: errorOf('resource', { limit: 'output' }),
  },
  {
    name: 'require is a security violation',
    request: { code: 'require("fs")' },
    check: (result) =>
      expect(result).toMatchObject({
        status: 'security_violation',
        violation: { kind: 'require', target: 'fs' },
      }),
  },
  {
    name: 'a caught require is still a security violation',
    request: { code: 'try { require("child_process") } catch {}\n1' },
    check: (result) =>
      expect(result).toMatchObject({ status: 'security_violation', violation: { kind: 'require' } }),
  },
  {
    name: 'dynamic import is a security violation',
    request: { code: 'await import("fs")' },
    check: (result) =>
      expect(result).toMatchObject({
        status: 'security_violation',
        violation: { kind: 'import', target: 'fs' },
      }),
  },
  {
    name: 'there are no host APIs',
    request: { code: '[typeof process, typeof setTimeout, typeof fetch, typeof Buffer, typeof WebAssembly]' },
    check: success(['undefined', 'undefined', 'undefined', 'undefined', 'undefined']),
  },
  {
    name: 'code over the size cap is refused',
    request: { code: `// ${'x'.repeat(2000)}\n1`, limits: { maxCodeBytes: 1000 } },
    check: errorOf('resource', { limit: 'code_size' }),
  },
  {
    name: 'TypeScript is type-stripped',
    request: { code: 'interface P { n: number }\nconst p: P = { n: 41 };\np.n + 1;', language: 'typescript' },
    check: success(42),
  },
  {
    name: 'TypeScript errors point at the TypeScript line',
    request: {
      code: 'type T = { a: string };\nconst t: T = { a: "x" };\nfunction f(): number {\n  throw new Error("at four");\n}\nf();',
      language: 'typescript',
    },
    check(result) {
      errorOf('runtime', { message: 'at four' })(result);
      if (result.status === 'error') expect(result.error.line).toBe(4);
    },
  },
  {
    name: 'TypeScript syntax errors are syntax errors',
    request: { code: 'const x: number = ;', language: 'typescript' },
    check: errorOf('syntax'),
  },
  {
    name: 'Date.now is a real clock and Math.random works',
    request: { code: '[Date.now() > 1.7e12, Math.random() >= 0 && Math.random() < 1]' },
    check: success([true, true]),
  },
];
