import type { SeededRandom } from '../seeded-random.js';

const LITERALS = [
  '0',
  '1',
  '-1',
  '2 ** 53',
  '1e308',
  '-0',
  'NaN',
  'null',
  'undefined',
  'true',
  '"s"',
  '""',
  '[]',
  '{}',
  '1n',
  'input',
  'Symbol("x")',
  '/a+/g',
  'new Date(0)',
];
const UNARY = ['-', '!', '~', 'typeof ', 'void ', '+'];
const BINARY = [
  '+',
  '-',
  '*',
  '/',
  '%',
  '**',
  '&&',
  '||',
  '??',
  '==',
  '===',
  '<',
  '>>',
  '&',
  '|',
  '^',
  'instanceof Object ||',
  'in {} ||',
];
const CALLS = [
  (a: string) => `JSON.stringify(${a})`,
  (a: string) => `String(${a}).repeat(3)`,
  (a: string) => `[${a}, ${a}].map((x) => x)`,
  (a: string) => `Object.keys(Object(${a}))`,
  (a: string) => `Array.from({ length: 3 }, () => ${a})`,
  (a: string) => `new Map([[${a}, 1]])`,
  (a: string) => `Promise.resolve(${a})`,
  (a: string) => `(async () => ${a})()`,
  (a: string) => `Math.max(${a}, 1)`,
  (a: string) => `new Proxy({}, { get: () => ${a} })`,
  (a: string) => `Reflect.ownKeys(Object(${a}))`,
  (a: string) => `console.log(${a})`,
];

function expression(random: SeededRandom, depth: number): string {
  if (depth <= 0 || random.chance(0.3)) return random.pick(LITERALS);
  switch (random.below(4)) {
    case 0:
      return `(${random.pick(UNARY)}${expression(random, depth - 1)})`;
    case 1:
      return `(${expression(random, depth - 1)} ${random.pick(BINARY)} ${expression(random, depth - 1)})`;
    case 2:
      return random.pick(CALLS)(expression(random, depth - 1));
    default:
      return `(${expression(random, depth - 1)} ? ${expression(random, depth - 1)} : ${expression(random, depth - 1)})`;
  }
}

function statement(random: SeededRandom, depth: number, index: number): string {
  const value = expression(random, depth);
  switch (random.below(7)) {
    case 0:
      return `let v${index} = ${value};`;
    case 1:
      return `for (let i = 0; i < ${random.between(0, 1000)}; i++) { ${value}; }`;
    case 2:
      return `try { ${value}; } catch (e) { e; } finally { ${expression(random, 1)}; }`;
    case 3:
      return `function f${index}(a) { return ${depth > 1 ? `f${index}(a - 1) + ` : ''}${value}; }`;
    case 4:
      return `if (${expression(random, 1)}) { ${value}; } else { ${expression(random, 1)}; }`;
    case 5:
      return `await ${value};`;
    default:
      return `${value};`;
  }
}

/** A random, mostly valid program of a few statements ending in an expression. */
export function randomProgram(random: SeededRandom): string {
  const lines: string[] = [];
  const count = random.between(1, 8);
  for (let index = 0; index < count; index++) lines.push(statement(random, random.between(1, 4), index));
  lines.push(expression(random, 3));
  return lines.join('\n');
}
