import { describe, expect, it } from 'vitest';
import {
  FUEL_HEADROOM,
  FUEL_PER_MS,
  fuelBudget,
  InvalidRequestError,
  JsboxError,
  PRESETS,
  preflight,
  resolveExecutionRequest,
  resolveLimits,
} from '../src/index.js';

describe('presets and limits', () => {
  it('has the documented presets', () => {
    expect(PRESETS.restrictive).toMatchObject({ timeoutMs: 3000, memoryLimitBytes: 64 * 1024 * 1024 });
    expect(PRESETS.default).toMatchObject({ timeoutMs: 5000, memoryLimitBytes: 128 * 1024 * 1024 });
    expect(PRESETS.permissive).toMatchObject({ timeoutMs: 10000, memoryLimitBytes: 256 * 1024 * 1024 });
    expect(PRESETS.default.maxCodeBytes).toBe(100_000);
    expect(PRESETS.default.maxOutputBytes).toBe(64 * 1024);
    expect(Object.isFrozen(PRESETS.default)).toBe(true);
  });

  it('lets overrides win over the preset and ignores undefined overrides', () => {
    const limits = resolveLimits('restrictive', { timeoutMs: 100, memoryLimitBytes: undefined });
    expect(limits.timeoutMs).toBe(100);
    expect(limits.memoryLimitBytes).toBe(64 * 1024 * 1024);
  });

  it('derives fuel from the timeout unless given', () => {
    expect(fuelBudget({ fuel: null, timeoutMs: 10 })).toBe(10 * FUEL_PER_MS * FUEL_HEADROOM);
    expect(fuelBudget({ fuel: 5000, timeoutMs: 10 })).toBe(5000);
  });
});

describe('resolveExecutionRequest', () => {
  const issuesOf = (raw: unknown): string[] => {
    try {
      resolveExecutionRequest(raw);
    } catch (error) {
      expect(InvalidRequestError.isInstance(error)).toBe(true);
      expect(JsboxError.isInstance(error)).toBe(true);
      return (error as InvalidRequestError).issues.map((issue) => `${issue.path}: ${issue.message}`);
    }
    throw new Error('expected the request to be rejected');
  };

  it('resolves a minimal request with defaults', () => {
    const request = resolveExecutionRequest({ code: '1 + 1' });
    expect(request).toEqual({
      code: '1 + 1',
      language: 'javascript',
      inputJson: undefined,
      limits: { ...PRESETS.default },
      filename: 'main.js',
    });
  });

  it('serialises input and applies preset plus overrides', () => {
    const request = resolveExecutionRequest(
      {
        code: 'x',
        input: { a: [1, 'b'] },
        preset: 'permissive',
        limits: { timeoutMs: 50 },
        language: 'typescript',
      },
      { limits: { maxOutputBytes: 10 } },
    );
    expect(request.inputJson).toBe('{"a":[1,"b"]}');
    expect(request.limits).toMatchObject({
      timeoutMs: 50,
      memoryLimitBytes: 256 * 1024 * 1024,
      maxOutputBytes: 10,
    });
    expect(request.filename).toBe('main.ts');
  });

  it('explains every problem with what is allowed', () => {
    expect(issuesOf({ code: 42 })).toEqual([
      'code: code must be a string of JavaScript or TypeScript source',
    ]);
    expect(issuesOf({ code: '  ' })).toEqual(['code: code must not be empty']);
    expect(issuesOf({ code: 'a\u0000' })[0]).toMatch(/NUL character at offset 1/);
    expect(issuesOf({ code: 'x', preset: 'huge' })[0]).toMatch(
      /valid presets: restrictive, default, permissive/,
    );
    expect(issuesOf({ code: 'x', language: 'python' })[0]).toMatch(/valid languages: javascript, typescript/);
    expect(issuesOf({ code: 'x', limits: { timeoutMs: -1 } })[0]).toMatch(
      /limits.timeoutMs: timeoutMs must be at least 1/,
    );
    expect(issuesOf({ code: 'x', limits: { timeoutMs: 1e12 } })[0]).toMatch(/at most 300000/);
    expect(issuesOf({ code: 'x', limits: { timeoutMs: 1.5 } })[0]).toMatch(/whole number/);
    expect(issuesOf({ code: 'x', limits: { speed: 1 } })[0]).toMatch(/unknown field "speed"/);
    expect(issuesOf({ code: 'x', extra: 1 })[0]).toMatch(/unknown field "extra"/);
    expect(issuesOf(null)[0]).toMatch(/expected object/i);
  });

  it('rejects input that is not JSON, too deep or too big, without recursing', () => {
    expect(issuesOf({ code: 'x', input: { f: () => 1 } })[0]).toMatch(/a function is not JSON at f/);
    expect(issuesOf({ code: 'x', input: Number.NaN })[0]).toMatch(/NaN is not a JSON number/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(issuesOf({ code: 'x', input: cyclic })[0]).toMatch(/cycle/);
    let deep: unknown = 1;
    for (let level = 0; level < 100_000; level++) deep = [deep];
    expect(issuesOf({ code: 'x', input: deep })[0]).toMatch(/deeper than 256/);
    expect(issuesOf({ code: 'x', input: 'y'.repeat(2000), limits: { maxInputBytes: 1000 } })[0]).toMatch(
      /2002 bytes of JSON; the limit is 1000/,
    );
    expect(issuesOf({ code: 'x', input: new Date() })[0]).toMatch(/only plain objects/);
  });

  it('leaves the code-size cap to preflight, which returns a resource result', () => {
    const request = resolveExecutionRequest({ code: 'é'.repeat(600), limits: { maxCodeBytes: 1000 } });
    expect(preflight(request, 'test')).toMatchObject({
      status: 'error',
      error: {
        type: 'resource',
        limit: 'code_size',
        message: expect.stringMatching(/1200 bytes; the limit is 1000/),
      },
      backend: 'test',
    });
    expect(preflight(resolveExecutionRequest({ code: '1' }), 'test')).toBeUndefined();
  });
});
