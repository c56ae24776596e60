import { CompileError } from '@jsbox/core';
import { describe, expect, it } from 'vitest';
import { mapStackToSource, SourceMapper } from '../src/source-map.js';
import { transpileTypeScript } from '../src/typescript.js';

describe('transpileTypeScript', () => {
  it('strips types without checking them', () => {
    const { code } = transpileTypeScript(
      'interface P { x: number }\nconst p: P = { x: "not a number" } as any;\nlet n: string = 5;\nn',
    );
    expect(code).not.toMatch(/interface|: P|: string/);
    expect(code).toContain('let n = 5;');
  });

  it('reports syntax errors as CompileError with 1-based line and column', () => {
    let caught: unknown;
    try {
      transpileTypeScript('const a = 1;\nconst b: number = ;\n', { filename: 'x.ts' });
    } catch (error) {
      caught = error;
    }
    expect(CompileError.isInstance(caught)).toBe(true);
    expect(caught).toMatchObject({ line: 2, column: 19, code: 'compile_error' });
  });

  it('returns a source map that names the file', () => {
    const { sourceMap } = transpileTypeScript('const a: number = 1;', { filename: 'prog.ts' });
    expect(JSON.parse(sourceMap)).toMatchObject({ version: 3, sources: ['prog.ts'] });
  });
});

describe('SourceMapper', () => {
  // Type-only lines vanish, so generated line 2 is TS line 6.
  const ts = [
    'type A = {',
    '  a: number;',
    '};',
    'interface B { b: string }',
    'const value: A = { a: 1 };',
    'function fail(input: B): never {',
    '  throw new Error("bad " + input.b);',
    '}',
    'fail({ b: "x" });',
  ].join('\n');
  const { code, sourceMap } = transpileTypeScript(ts, { filename: 'main.ts' });
  const generatedLines = code.split('\n');
  const throwLine = generatedLines.findIndex((line) => line.includes('throw')) + 1;
  const throwColumn = generatedLines[throwLine - 1]!.indexOf('throw') + 1;

  it('maps a generated position back to the TypeScript position', () => {
    expect(throwLine).toBeLessThan(7);
    const mapper = new SourceMapper({ sourceMap });
    expect(mapper.originalPosition(throwLine, throwColumn)).toEqual({
      source: 'main.ts',
      line: 7,
      column: 3,
    });
    expect(mapper.originalPosition(throwLine)).toMatchObject({ line: 7 });
    expect(mapper.originalPosition(999)).toBeUndefined();
  });

  it('rewrites stack frames of the named file only', () => {
    const stack = `Error: bad x\n    at fail (main.ts:${throwLine}:${throwColumn})\n    at other (lib.js:3:4)\n    at <eval> (main.ts:${throwLine})`;
    const mapped = mapStackToSource(stack, sourceMap, { fileName: 'main.ts' });
    expect(mapped).toBe(
      'Error: bad x\n    at fail (main.ts:7:3)\n    at other (lib.js:3:4)\n    at <eval> (main.ts:7)',
    );
  });

  it('rejects something that is not a v3 source map', () => {
    expect(() => new SourceMapper({ sourceMap: '{"version":2}' })).toThrow(/version 3/);
    expect(() => new SourceMapper({ sourceMap: { version: 3, sources: [], mappings: '!!' } })).toThrow(/VLQ/);
  });
});
