import type { SeededRandom } from '../seeded-random.js';

const TOKEN = /\s+|[A-Za-z_$][\w$]*|\d[\w.]*|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`|[^\s\w]/g;
const INTERESTING_TOKENS = [
  'for (;;) {}',
  'while (1)',
  'await',
  'async',
  'function',
  '=>',
  '...',
  'yield',
  'new',
  'class',
  'import',
  'require',
  '(',
  ')',
  '{',
  '}',
  '[',
  ']',
  '`',
  '${',
  '/',
  '\\',
  '\u2028',
  '0x',
  '1e308',
  '-0',
  'NaN',
  'Symbol.iterator',
  '__proto__',
  'constructor',
  'prototype',
  'Proxy',
  'eval',
  'Function',
  'Javy',
  'input',
  'console.log',
  'globalThis',
  'this',
  'super',
  'delete',
  'arguments',
  'debugger',
  'with',
  ';',
  ',',
  '?.',
  '#x',
];
const NESTINGS = [
  (p: string) => `(${p})`,
  (p: string) => `[${p}]`,
  (p: string) => `{${p}}`,
  (p: string) => `(() => { return ${p} })()`,
  (p: string) => `(async () => ${p})()`,
  (p: string) => `try { ${p} } finally {}`,
  (p: string) => `if (1) { ${p} }`,
  (p: string) => `eval(${JSON.stringify(p)})`,
  (p: string) => `Function(${JSON.stringify(p)})()`,
  (p: string) => `Promise.resolve().then(() => ${p})`,
];
const CHAR_RANGES: Array<[number, number]> = [
  [0x20, 0x7e],
  [0x00, 0x1f],
  [0x80, 0x7ff],
  [0x2028, 0x2029],
  [0xfeff, 0xfeff],
  [0x4e00, 0x9fff],
  [0x1f600, 0x1f64f],
];

function tokens(code: string): string[] {
  return code.match(TOKEN) ?? [code];
}

/** A mutation: its name (for reproduction reports) and how it changes a program. */
export interface Mutation {
  name: string;
  apply(code: string, random: SeededRandom, corpus: readonly string[]): string;
}

/** The mutations the fuzzer draws from. Each keeps the program under a few hundred kB. */
export const MUTATIONS: readonly Mutation[] = [
  {
    name: 'token swap',
    apply(code, random) {
      const parts = tokens(code);
      const a = random.below(parts.length);
      const b = random.below(parts.length);
      [parts[a], parts[b]] = [parts[b]!, parts[a]!];
      return parts.join('');
    },
  },
  {
    name: 'token replace',
    apply(code, random) {
      const parts = tokens(code);
      parts[random.below(parts.length)] = random.pick(INTERESTING_TOKENS);
      return parts.join('');
    },
  },
  {
    name: 'truncate',
    apply: (code, random) => code.slice(0, random.below(code.length + 1)),
  },
  {
    name: 'nest',
    apply(code, random) {
      const wrap = random.pick(NESTINGS);
      const times = random.chance(0.2) ? random.between(100, 3000) : random.between(1, 5);
      let nested = code;
      for (let i = 0; i < times && nested.length < 200_000; i++) nested = wrap(nested);
      return nested;
    },
  },
  {
    name: 'random characters',
    apply(code, random) {
      let text = code;
      const count = random.between(1, 16);
      for (let i = 0; i < count; i++) {
        const [low, high] = random.pick(CHAR_RANGES);
        const char = String.fromCodePoint(random.between(low, high));
        const at = random.below(text.length + 1);
        text = text.slice(0, at) + char + text.slice(at);
      }
      return text;
    },
  },
  {
    name: 'huge literal',
    apply(code, random) {
      const size = random.pick([1_000, 30_000, 99_000, 150_000]);
      const literal = random.pick([
        () => `"${'a'.repeat(size)}"`,
        () => '9'.repeat(size),
        () => `${'9'.repeat(size)}n`,
        () => `[${'1,'.repeat(size / 2)}]`,
        () => `({${Array.from({ length: size / 8 }, (_, i) => `k${i}:1`).join(',')}})`,
        () => `/${'a'.repeat(size)}/`,
        () => `${'['.repeat(size / 2)}${']'.repeat(size / 2)}`,
        () => `\`${'$'.concat('{1}').repeat(size / 4)}\``,
      ])();
      const at = random.below(code.length + 1);
      return `${code.slice(0, at)}${literal}${code.slice(at)}`;
    },
  },
  {
    name: 'splice',
    apply(code, random, corpus) {
      const other = random.pick(corpus);
      return code.slice(0, random.below(code.length + 1)) + other.slice(random.below(other.length + 1));
    },
  },
];
