import { describe, expect, it } from 'vitest';
import {
  classifyException,
  executionResultSchema,
  isHostStackOverflow,
  locateInStack,
  MAX_ERROR_STACK_FRAMES,
  OutputBuffer,
  parseDescribedError,
  toResult,
} from '../src/index.js';

const base = {
  stdout: '',
  stderr: '',
  truncated: { stdout: false, stderr: false },
  durationMs: 1,
  backend: 'test',
};

describe('outcome mapping', () => {
  it('classifies syntax, memory, stack and runtime errors', () => {
    expect(
      classifyException('compile', { name: 'SyntaxError', message: 'unexpected token' }, 'main.js').type,
    ).toBe('syntax');
    expect(
      classifyException('run', { name: 'InternalError', message: 'out of memory' }, 'main.js'),
    ).toMatchObject({
      type: 'resource',
      limit: 'memory',
    });
    expect(
      classifyException(
        'run',
        { name: 'RangeError', message: 'Maximum call stack size exceeded' },
        'main.js',
      ),
    ).toMatchObject({
      type: 'resource',
      limit: 'stack',
    });
    expect(classifyException('run', { name: 'Error', message: 'out of memory' }, 'main.js').type).toBe(
      'runtime',
    );
    for (const phase of ['compile', 'run'] as const) {
      expect(
        classifyException(phase, { name: 'SyntaxError', message: 'stack overflow' }, 'main.js'),
      ).toMatchObject({
        type: 'resource',
        limit: 'stack',
      });
    }
    expect(
      classifyException(
        'run',
        { name: 'TypeError', message: 'x', stack: '    at f (main.js:3:7)\n    at <eval> (main.js:5)' },
        'main.js',
      ),
    ).toMatchObject({ type: 'runtime', line: 3, column: 7 });
  });

  it("maps QuickJS's string length cap to the memory limit", () => {
    for (const name of ['InternalError', 'RangeError']) {
      expect(classifyException('run', { name, message: 'string too long' }, 'main.js')).toMatchObject({
        type: 'resource',
        limit: 'memory',
        name,
        message: 'string too long',
      });
    }
    expect(classifyException('run', { name: 'Error', message: 'string too long' }, 'main.js').type).toBe(
      'runtime',
    );
    expect(
      classifyException('run', { name: 'RangeError', message: 'invalid array length' }, 'main.js').type,
    ).toBe('runtime');
  });

  it('bounds reported stacks, messages and names the same way for every backend', () => {
    const stack = '    at f (main.js:1:22)\n'.repeat(3000);
    const error = classifyException(
      'run',
      { name: 'N'.repeat(10_000), message: 'm'.repeat(100_000), stack },
      'main.js',
    );
    const lines = error.stack!.trimEnd().split('\n');
    expect(lines).toHaveLength(MAX_ERROR_STACK_FRAMES + 1);
    expect(lines.at(-1)).toBe(`    ... ${3000 - MAX_ERROR_STACK_FRAMES} more frames`);
    expect(error.stack!.length).toBeLessThan(8 * 1024);
    expect(error).toMatchObject({ line: 1, column: 22 });
    expect(error.message.length).toBeLessThan(17_000);
    expect(error.name.length).toBeLessThan(300);
    const short = { name: 'TypeError', message: 'x', stack: '    at main.js:2:3' };
    expect(classifyException('run', short, 'main.js')).toMatchObject(short);
  });

  it("recognises the host's own stack overflow", () => {
    let caught: unknown;
    const down = (n: number): number => down(n + 1) + 1;
    try {
      down(0);
    } catch (error) {
      caught = error;
    }
    expect(isHostStackOverflow(caught)).toBe(true);
    expect(isHostStackOverflow(new RangeError('invalid array length'))).toBe(false);
    expect(isHostStackOverflow(new Error('Maximum call stack size exceeded'))).toBe(false);
  });

  it('finds locations only for the given file', () => {
    expect(locateInStack('at x (other.js:1:1)\n at y (main.js:9:2)', 'main.js')).toEqual({
      line: 9,
      column: 2,
    });
    expect(locateInStack('at x (main.jsx:1:1)', 'main.ts')).toBeUndefined();
  });

  it('builds schema-valid results for every outcome', () => {
    const outcomes = [
      { kind: 'value', value: 1 },
      { kind: 'exception', phase: 'run', error: { name: 'Error', message: 'm' } },
      { kind: 'limit', limit: 'fuel', message: 'out of fuel' },
      { kind: 'timeout', reason: 'deadline', elapsedMs: 5, timeoutMs: 5 },
      { kind: 'violation', violation: { kind: 'require', target: 'fs', message: 'no' } },
      { kind: 'unsettled' },
      { kind: 'crash', message: 'trap' },
    ] as const;
    const statuses = outcomes.map((outcome) => {
      const result = toResult(outcome, base, 'main.js');
      expect(executionResultSchema.safeParse(result).success).toBe(true);
      return result.status;
    });
    expect(statuses).toEqual([
      'success',
      'error',
      'error',
      'timeout',
      'security_violation',
      'error',
      'error',
    ]);
  });

  it('parses described errors defensively', () => {
    expect(parseDescribedError('{"name":"E","message":"m","stack":"s"}')).toEqual({
      name: 'E',
      message: 'm',
      stack: 's',
    });
    expect(parseDescribedError('not json').name).toBe('Error');
    expect(parseDescribedError('{"name":5}')).toEqual({ name: 'Error', message: '' });
  });
});

describe('OutputBuffer', () => {
  it('never holds more than its cap and cuts on a character boundary', () => {
    const buffer = new OutputBuffer(10);
    expect(buffer.write('hello ')).toBe(true);
    expect(buffer.write('wörld!!')).toBe(false);
    expect(buffer.byteLength).toBe(10);
    expect(buffer.overflowed).toBe(true);
    expect(buffer.text()).toBe('hello wör');
    expect(buffer.write('more')).toBe(false);
    expect(buffer.byteLength).toBe(10);
  });

  it('drops a multi-byte character split by the cap', () => {
    const buffer = new OutputBuffer(2);
    buffer.write('a€');
    expect(buffer.text()).toBe('a');
  });
});
