import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { GUEST_PRELUDE_SOURCE, type GuestRuntime } from '../src/index.js';

// The prelude runs inside QuickJS in production; node:vm gives a fresh realm to test its logic.
function boot(inputJson?: string, setup?: string) {
  const context = vm.createContext({});
  if (setup) vm.runInContext(setup, context);
  const written: Array<[number, string]> = [];
  const input = Buffer.from(inputJson ?? '');
  let offset = 0;
  const runtime = vm.runInContext(
    GUEST_PRELUDE_SOURCE,
    context,
  )({
    write(fd: number, data: string | Uint8Array) {
      written.push([fd, typeof data === 'string' ? data : Buffer.from(data).toString()]);
      return typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
    },
    read(_fd: number, buffer: Uint8Array) {
      const n = Math.min(buffer.byteLength, input.byteLength - offset);
      buffer.set(input.subarray(offset, offset + n));
      offset += n;
      return n;
    },
    inputJson,
  }) as GuestRuntime;
  return { runtime, written, run: (code: string) => vm.runInContext(code, context) };
}

describe('guest prelude', () => {
  it('is self-contained source (no bundler helpers)', () => {
    expect(GUEST_PRELUDE_SOURCE.startsWith('(function')).toBe(true);
    expect(GUEST_PRELUDE_SOURCE).not.toMatch(/__name|__defProp|__require|__export/);
  });

  it('encodes values JSON cannot hold', () => {
    const { runtime, run } = boot();
    const value = run(
      'const o = { u: undefined, b: 2n, n: -0, i: -Infinity, sym: Symbol("s"), re: /x/i, e: new RangeError("r"), p: Promise.resolve(), h: [1,,3], t: new BigInt64Array([5n]), buf: new Uint8Array([7]).buffer }; o',
    );
    const decoded = JSON.parse(runtime.encode(value, 1e6) as string);
    expect(decoded).toMatchObject({
      u: { $jsbox: 'undefined' },
      b: { $jsbox: 'bigint', value: '2' },
      n: { $jsbox: 'number', value: '-0' },
      i: { $jsbox: 'number', value: '-Infinity' },
      sym: { $jsbox: 'symbol', description: 's' },
      re: { $jsbox: 'regexp', source: 'x', flags: 'i' },
      e: { $jsbox: 'error', name: 'RangeError', message: 'r' },
      p: { $jsbox: 'promise' },
      h: [1, { $jsbox: 'undefined' }, 3],
      t: { $jsbox: 'BigInt64Array', values: ['5'] },
      buf: { $jsbox: 'ArrayBuffer', bytes: [7] },
    });
  });

  it('honours toJSON, escapes $jsbox keys, cuts depth and reports oversize', () => {
    const { runtime, run } = boot();
    expect(runtime.encode(run('({ toJSON() { return "custom"; } })'), 100)).toBe('"custom"');
    expect(JSON.parse(runtime.encode(run('({ $jsbox: 1 })'), 100) as string)).toEqual({
      $jsbox: 'object',
      value: { $jsbox: 1 },
    });
    let deep = JSON.parse(
      runtime.encode(run('let d = 0; for (let i = 0; i < 500; i++) d = [d]; d'), 1e6) as string,
    );
    let depth = 0;
    while (Array.isArray(deep)) {
      deep = deep[0];
      depth++;
    }
    expect(depth).toBe(100);
    expect(deep).toEqual({ $jsbox: 'depth_limit' });
    const size = runtime.encode(run('"x".repeat(1000)'), 100);
    expect(typeof size).toBe('number');
    expect(size as number).toBeGreaterThan(100);
  });

  it('is not fooled by a guest that overrides built-ins before the result is encoded', () => {
    const { runtime, run } = boot();
    const value = run(
      'JSON.stringify = () => "evil"; Array.prototype.push = null; Object.keys = () => []; ({ a: [1] })',
    );
    expect(JSON.parse(runtime.encode(value, 1000) as string)).toEqual({ a: [1] });
  });

  it('describes thrown values safely', () => {
    const { runtime, run } = boot();
    expect(JSON.parse(runtime.describeError(run('new TypeError("t")')))).toMatchObject({
      name: 'TypeError',
      message: 't',
    });
    expect(JSON.parse(runtime.describeError(42))).toEqual({ name: 'Error', message: 'Uncaught 42' });
    const hostile = run('({ get name() { throw 1; } })');
    expect(JSON.parse(runtime.describeError(hostile)).message).toMatch(/could not be read/);
  });

  it('provides console, input, Javy.IO and a require trap', () => {
    const { runtime, written, run } = boot('{"n":5}');
    run('console.log("a", { b: [1, "c"] }); console.error("e"); Javy.IO.writeSync(1, new Uint8Array([104]))');
    expect(written).toEqual([
      [1, 'a { b: [ 1, "c" ] }\n'],
      [2, 'e\n'],
      [1, 'h'],
    ]);
    expect(run('input.n')).toBe(5);
    expect(run('const b = new Uint8Array(3); [Javy.IO.readSync(0, b), Array.from(b)]')).toEqual([
      3,
      [123, 34, 110],
    ]);
    expect(() => run('require("fs")')).toThrow(/not available/);
    expect(JSON.parse(runtime.violation())).toMatchObject({ kind: 'require', target: 'fs' });
    runtime.recordViolation('import', 'net');
    expect(JSON.parse(runtime.violation()).kind).toBe('require');
    expect(run('Object.keys(globalThis)')).toEqual([]);
  });

  it('checks Javy.IO arguments itself, with one error on every backend', () => {
    const { written, run } = boot('{}');
    const attempt = (code: string) =>
      run(
        `(() => { try { return ${code}; } catch (e) { return [e instanceof RangeError ? 'RangeError' : e instanceof TypeError ? 'TypeError' : 'other', e.message]; } })()`,
      );
    const refused = [
      [
        'writeSync(3, new Uint8Array([1]))',
        'RangeError',
        'writeSync can only write to fd 1 (stdout) or 2 (stderr), not 3',
      ],
      [
        'writeSync("1", new Uint8Array([1]))',
        'RangeError',
        'writeSync can only write to fd 1 (stdout) or 2 (stderr), not "1"',
      ],
      ['readSync(1, new Uint8Array(1))', 'RangeError', 'readSync can only read from fd 0 (stdin), not 1'],
      [
        'writeSync(2, new ArrayBuffer(1))',
        'TypeError',
        'writeSync expects a Uint8Array (or a string) to write',
      ],
      [
        'readSync(0, new DataView(new ArrayBuffer(1)))',
        'TypeError',
        'readSync expects a Uint8Array to read into',
      ],
    ];
    for (const [call, name, message] of refused)
      expect(attempt(`Javy.IO.${call}`)).toEqual([name, `Javy.IO.${message}`]);
    expect(written).toEqual([]);
    expect(attempt('Javy.IO.writeSync(2, "ok")')).toBe(2);
    expect(written).toEqual([[2, 'ok']]);
  });

  it("makes QuickJS's stack-overflow InternalError a RangeError by name and prototype", () => {
    // node:vm has no InternalError; a stand-in shaped like QuickJS's (own constructor, Error parent).
    const { run } = boot(undefined, 'globalThis.InternalError = class InternalError extends Error {};');
    expect(
      run('const e = new InternalError("stack overflow"); [e.name, e instanceof RangeError, String(e)]'),
    ).toEqual(['RangeError', true, 'RangeError: stack overflow']);
    expect(run('const m = new InternalError("out of memory"); [m.name, m instanceof RangeError]')).toEqual([
      'InternalError',
      true,
    ]);
    expect(run('const r = new InternalError("stack overflow"); r.name = "Mine"; r.name')).toBe('Mine');
    expect(run('InternalError.prototype.name')).toBe('InternalError');
  });
});
