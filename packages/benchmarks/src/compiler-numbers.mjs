// The compiler's numbers: its own benchmark (packages/compiler/bench/compile.bench.mjs) run as a
// child and kept verbatim, its markdown tables parsed into rows, plus the module sizes measured
// here directly through compile().
import { execFileSync } from 'node:child_process';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile, getEnginePlugin } from '@jsbox/compiler';

const REPOSITORY_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Removes this machine's paths from text that goes into the repository. */
export function withoutLocalPaths(text) {
  return text.split(REPOSITORY_ROOT).join('<repo>/').split(homedir()).join('~');
}

/** Rows of every markdown table in `text`, keyed by the table's header cells. */
function parseTables(text) {
  const tables = [];
  let header;
  for (const line of text.split('\n')) {
    if (!line.startsWith('|')) {
      header = undefined;
      continue;
    }
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
    if (cells.every((cell) => /^-+:?$|^:?-+$/.test(cell))) continue;
    if (!header) {
      header = cells;
      tables.push([]);
      continue;
    }
    tables.at(-1).push(Object.fromEntries(header.map((name, index) => [name, cells[index]])));
  }
  return tables;
}

/** Sizes, compile speed and plugin start-up. */
export async function measureCompiler({ quick, log }) {
  const hello = 'console.log("hello world")';
  const dynamic = await compile(hello, { cache: false });
  const standalone = await compile(hello, { format: 'static', cache: false });
  const sizes = {
    pluginBytes: getEnginePlugin().bytes.length,
    helloBytecodeBytes: dynamic.sizes.bytecode,
    helloDynamicModuleBytes: dynamic.sizes.module,
    helloStaticModuleBytes: standalone.sizes.module,
  };
  log(
    `  plugin ${sizes.pluginBytes} B, hello dynamic ${sizes.helloDynamicModuleBytes} B, static ${sizes.helloStaticModuleBytes} B`,
  );
  if (quick) return { sizes, compilerBench: { skipped: 'not run with --quick' } };
  const compilerPackage = dirname(fileURLToPath(import.meta.resolve('@jsbox/compiler/package.json')));
  const output = execFileSync(process.execPath, [join(compilerPackage, 'bench', 'compile.bench.mjs')], {
    cwd: compilerPackage,
    encoding: 'utf8',
    timeout: 300_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const text = withoutLocalPaths(output).trim();
  const [compileTimes = [], , startup = []] = parseTables(text);
  const perKiB = (prefix) =>
    Number(compileTimes.find((row) => row.task.replace(/\s+/g, ' ') === `${prefix} 90 KB`)?.['ms per KB']);
  const summary = {
    jsboxDynamicMsPerKiB: perKiB('jsbox dynamic'),
    jsboxBytecodeMsPerKiB: perKiB('jsbox bytecode'),
    quickjsEmscriptenCompileOnlyMsPerKiB: perKiB('quickjs-emscripten compileOnly'),
    preinitialisedInstantiateMs: Number(startup.find((row) => /pre-initialised/.test(row.task))?.['mean ms']),
    rawInstantiateAndInitMs: Number(startup.find((row) => /raw plugin/.test(row.task))?.['mean ms']),
  };
  log(
    `  compile, 90 KB source: jsbox ${summary.jsboxDynamicMsPerKiB} ms/KB, quickjs-emscripten ${summary.quickjsEmscriptenCompileOnlyMsPerKiB} ms/KB`,
  );
  return { sizes, summary, compilerBench: { command: 'pnpm --filter @jsbox/compiler bench', output: text } };
}
