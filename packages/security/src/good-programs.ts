import type { ExecutionRequest } from '@jsbox/core';

/** An ordinary program and the value it must produce. */
export interface GoodProgram {
  name: string;
  request: ExecutionRequest;
  result: unknown;
  stdout?: string;
}

/** Typical agent-style programs: small computations over `input`, console output, async, TypeScript. */
export const GOOD_PROGRAMS: readonly GoodProgram[] = [
  { name: 'arithmetic', request: { code: '1 + 1' }, result: 2 },
  {
    name: 'sum over input',
    request: {
      code: 'input.items.map((x) => x * 2).reduce((a, b) => a + b, 0)',
      input: { items: Array.from({ length: 50 }, (_, i) => i + 1) },
    },
    result: 2550,
  },
  {
    name: 'json keys',
    request: { code: 'Object.keys(JSON.parse(input)).sort().join(",")', input: '{"b":1,"a":2,"c":[1]}' },
    result: 'a,b,c',
  },
  {
    name: 'console output',
    request: { code: 'console.log("hello", { n: 1 }); console.error("careful"); "done"' },
    result: 'done',
    stdout: 'hello { n: 1 }\n',
  },
  {
    name: 'async map',
    request: { code: 'const triple = async (n) => n * 3;\nawait Promise.all([1, 2, 3].map(triple))' },
    result: [3, 6, 9],
  },
  {
    name: 'class with a getter',
    request: {
      code: 'class Point { constructor(x) { this.x = x; } get double() { return this.x * 2; } }\nnew Point(21).double',
    },
    result: 42,
  },
  {
    name: 'typescript',
    request: { code: 'const square = (n: number): number => n * n;\nsquare(12)', language: 'typescript' },
    result: 144,
  },
  {
    name: 'words with a regex',
    request: { code: '"The quick brown fox jumps".split(" ").filter((w) => /o/.test(w)).length' },
    result: 2,
  },
  {
    name: 'a loop of 100k steps',
    request: { code: 'let s = 0;\nfor (let i = 0; i < 1e5; i++) s += i % 7;\ns' },
    result: 299995,
  },
  {
    name: 'sort records',
    request: { code: '[{ n: 3 }, { n: 1 }, { n: 2 }].sort((a, b) => a.n - b.n).map((o) => o.n)' },
    result: [1, 2, 3],
  },
  {
    name: 'caught exception',
    request: { code: 'try { null.x } catch (e) { e.name }' },
    result: 'TypeError',
  },
  {
    name: 'string building',
    request: {
      code: 'Array.from({ length: 200 }, (_, i) => String.fromCharCode(97 + (i % 26))).join("").length',
    },
    result: 200,
  },
];
