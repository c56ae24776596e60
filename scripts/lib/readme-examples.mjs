// README examples, run as a user would (for scripts/registry-test.mjs): each public package is
// installed alone with `npm install <name>` into a fresh empty project, and the first fenced code
// block of its README is taken as written. A ts/js block is type-stripped with the repo's own
// esbuild (the compiler's dependency; nothing extra goes into the user's project) into
// example.mjs and run with node, which must exit 0. A json block (an MCP client config) must
// parse and name a package whose bin is installed and answers --help; a sh block must name only
// installed bins. A README without such a block is reported as having no runnable example.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { repoRoot } from './run.mjs';

/** How long one example may run. */
export const EXAMPLE_TIMEOUT_MS = 60_000;

const RUNNABLE = new Set(['ts', 'typescript', 'js', 'javascript', 'mjs']);
const VALIDATABLE = new Set(['json', 'sh', 'bash', 'shell']);

/**
 * The first fenced code block of a markdown text as `{ lang, code }` (lang lower-cased, '' when
 * the fence names none), or undefined when there is none.
 */
export function firstCodeBlock(markdown) {
  const match = /^```([\w-]*)[^\n]*\n([\s\S]*?)^```/m.exec(markdown);
  return match ? { lang: match[1].toLowerCase(), code: match[2] } : undefined;
}

/** Strips TypeScript types with the esbuild the compiler package depends on; ESM stays ESM. */
function stripTypes(code, lang) {
  const requireFromCompiler = createRequire(path.join(repoRoot, 'packages', 'compiler', 'package.json'));
  const esbuild = requireFromCompiler('esbuild');
  return esbuild.transformSync(code, {
    loader: lang.startsWith('t') ? 'ts' : 'js',
    format: 'esm',
    target: 'node20',
    // Keep every value import as written, so an import that exists only for its side effects
    // (or a name the package does not export) still reaches node.
    tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
  }).code;
}

/** The bin `npx <package>` would run from an install in `project`, or undefined. */
function packageBin(project, name) {
  const manifestFile = path.join(project, 'node_modules', name, 'package.json');
  if (!existsSync(manifestFile)) throw new Error(`${name} is not installed in the project`);
  const { bin } = JSON.parse(readFileSync(manifestFile, 'utf8'));
  const unscoped = name.replace(/^@[^/]+\//, '');
  if (typeof bin === 'string') return unscoped;
  const names = Object.keys(bin ?? {});
  if (names.length === 1) return names[0];
  return names.includes(unscoped) ? unscoped : undefined;
}

function binPath(project, bin) {
  return path.join(project, 'node_modules', '.bin', bin);
}

function runChecked(command, args, { cwd, env, timeoutMs }) {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: timeoutMs });
  if (result.error?.code === 'ETIMEDOUT') throw new Error(`did not finish within ${timeoutMs} ms`);
  if (result.error) throw result.error;
  if (result.status !== 0)
    throw new Error(
      `exited with ${result.status ?? result.signal}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`,
    );
  return result;
}

/**
 * Checks an MCP client config block: it parses, every server runs `npx <installed package>` (or
 * one of the project's bins), and that bin with the config's arguments and env answers --help.
 */
function checkJsonExample(code, { project, env, timeoutMs }) {
  const config = JSON.parse(code);
  const servers = Object.entries(config.mcpServers ?? config.servers ?? {});
  if (servers.length === 0) throw new Error('the JSON block names no MCP server (mcpServers)');
  const notes = ['JSON parses'];
  for (const [name, server] of servers) {
    let bin = server.command;
    let args = server.args ?? [];
    if (server.command === 'npx') {
      const packageIndex = args.findIndex((arg) => !arg.startsWith('-'));
      const packageName = args[packageIndex];
      bin = packageBin(project, packageName);
      if (!bin) throw new Error(`${packageName} has no bin that npx would run`);
      args = args.slice(packageIndex + 1);
    }
    if (!existsSync(binPath(project, bin)))
      throw new Error(`server ${name}: node_modules/.bin/${bin} is missing`);
    runChecked(binPath(project, bin), [...args, '--help'], {
      cwd: project,
      env: { ...env, ...server.env },
      timeoutMs,
    });
    notes.push(`server "${name}" runs node_modules/.bin/${bin}, which answers --help with the config's args`);
  }
  return notes.join('; ');
}

/** Checks a shell block: every command it runs (directly or via npx) is an installed bin. */
function checkShellExample(code, { project }) {
  const bins = [];
  for (const raw of code.split('\n')) {
    const line = raw
      .replace(/^\s*\$\s*/, '')
      .replace(/#.*$/, '')
      .trim();
    if (!line) continue;
    const words = line.split(/\s+/);
    if (words[0] === 'npm' || words[0] === 'pnpm') continue;
    const bin =
      words[0] === 'npx'
        ? packageBin(
            project,
            words.slice(1).find((w) => !w.startsWith('-')),
          )
        : words[0];
    if (!bin || !existsSync(binPath(project, bin)))
      throw new Error(`"${line}": its command is not an installed bin`);
    bins.push(bin);
  }
  if (bins.length === 0) throw new Error('the shell block runs no command');
  return `every command is an installed bin (${[...new Set(bins)].join(', ')}); not run`;
}

/**
 * The README example of the package in `packageDir`: `{ block }` with its first fenced code
 * block when that is runnable (ts/js) or checkable (json/sh), else `{ reason }` saying why not.
 */
export function findReadmeExample(packageDir) {
  const readmeFile = path.join(packageDir, 'README.md');
  if (!existsSync(readmeFile)) return { reason: 'the package has no README.md' };
  const block = firstCodeBlock(readFileSync(readmeFile, 'utf8'));
  if (!block) return { reason: 'its README has no fenced code block' };
  if (!RUNNABLE.has(block.lang) && !VALIDATABLE.has(block.lang))
    return {
      reason: `its README's first code block is \`\`\`${block.lang || '(no language)'}, neither code nor a config`,
    };
  return { block };
}

/**
 * Installs `packageName` alone into `projectDir` (created empty) with npm and `env` (the
 * registry and HOME come from there), then runs or checks `block` (from findReadmeExample)
 * there. Returns `{ kind, note, stdout, installMs, runMs }`; throws when the install or the
 * example fails. `timeoutMs` bounds the install; an example gets at most EXAMPLE_TIMEOUT_MS.
 */
export function runReadmeExample({ block, packageName, projectDir, env, timeoutMs }) {
  mkdirSync(projectDir, { recursive: true });
  writeFileSync(
    path.join(projectDir, 'package.json'),
    `${JSON.stringify({ name: 'readme-example', private: true, type: 'module' })}\n`,
  );
  const installStarted = Date.now();
  runChecked('npm', ['install', '--no-audit', '--no-fund', '--loglevel', 'warn', packageName], {
    cwd: projectDir,
    env,
    timeoutMs,
  });
  const installMs = Date.now() - installStarted;
  const options = { project: projectDir, env, timeoutMs: Math.min(EXAMPLE_TIMEOUT_MS, timeoutMs) };
  const runStarted = Date.now();
  if (block.lang === 'json') {
    const note = checkJsonExample(block.code, options);
    return { kind: 'json', note, stdout: '', installMs, runMs: Date.now() - runStarted };
  }
  if (VALIDATABLE.has(block.lang)) {
    const note = checkShellExample(block.code, options);
    return { kind: 'sh', note, stdout: '', installMs, runMs: Date.now() - runStarted };
  }
  const exampleFile = path.join(projectDir, 'example.mjs');
  writeFileSync(exampleFile, stripTypes(block.code, block.lang));
  const { stdout } = runChecked(process.execPath, [exampleFile], {
    cwd: projectDir,
    env,
    timeoutMs: options.timeoutMs,
  });
  return {
    kind: block.lang,
    note: 'ran example.mjs with node: exit 0',
    stdout,
    installMs,
    runMs: Date.now() - runStarted,
  };
}
