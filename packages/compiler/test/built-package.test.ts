// The built package (dist/, made by the build that `test` depends on): the bin runs, and copies
// of dist/ with no plugin/, a corrupted plugin or no manifest beside them report it with a typed error.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const dist = join(packageRoot, 'dist');
// inside the package, so the copy resolves @jsbox/core, esbuild and zod from its node_modules
const scratch = join(packageRoot, 'test', '.generated', `missing-plugin-${process.pid}`);

beforeAll(() => {
  if (!existsSync(join(dist, 'index.js'))) {
    throw new Error(`${dist} is missing: run pnpm --filter @jsbox/compiler build`);
  }
  mkdirSync(join(scratch, 'dist'), { recursive: true });
  copyFileSync(join(dist, 'index.js'), join(scratch, 'dist', 'index.js'));
});
const copies: string[] = [];
afterAll(() => {
  for (const root of [scratch, ...copies]) rmSync(root, { recursive: true, force: true });
});

/** A fresh copy of dist/index.js (its own module instance and cache) with `wasm` and the real manifest in plugin/. */
async function packageCopy(name: string, wasm: Uint8Array) {
  const root = join(packageRoot, 'test', '.generated', `${name}-${process.pid}`);
  copies.push(root);
  mkdirSync(join(root, 'dist'), { recursive: true });
  mkdirSync(join(root, 'plugin'), { recursive: true });
  copyFileSync(join(dist, 'index.js'), join(root, 'dist', 'index.js'));
  copyFileSync(join(packageRoot, 'plugin', 'jsbox-engine.json'), join(root, 'plugin', 'jsbox-engine.json'));
  writeFileSync(join(root, 'plugin', 'jsbox-engine.wasm'), wasm);
  return { root, copy: await import(pathToFileURL(join(root, 'dist', 'index.js')).href) };
}

function catchError(action: () => unknown): any {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('built package', () => {
  it('throws EnginePluginMissingError, naming where it looked and what to do, when plugin/ is absent', async () => {
    const copy = await import(pathToFileURL(join(scratch, 'dist', 'index.js')).href);
    let caught: any;
    try {
      copy.getEnginePlugin();
    } catch (error) {
      caught = error;
    }
    expect(copy.EnginePluginMissingError.isInstance(caught)).toBe(true);
    expect(caught.code).toBe('backend_unavailable');
    expect(caught.path).toBe(join(scratch, 'plugin', 'jsbox-engine.wasm'));
    expect(caught.message).toMatch(/run `pnpm --filter @jsbox\/compiler build`/);
    expect(caught.message).toMatch(/reinstall @jsbox\/compiler/);
    await expect(copy.compile('1')).rejects.toSatisfy(copy.EnginePluginMissingError.isInstance);
  });

  it('refuses a plugin whose bytes differ from the sha256 in its manifest, and verifies once per process', async () => {
    const expected = JSON.parse(readFileSync(join(packageRoot, 'plugin', 'jsbox-engine.json'), 'utf8'));
    const original = readFileSync(join(packageRoot, 'plugin', 'jsbox-engine.wasm'));
    // same size, one byte of the code section changed: only the hash can tell
    const corrupted = Buffer.from(original);
    const middle = Math.floor(corrupted.length / 2);
    corrupted.writeUInt8(corrupted.readUInt8(middle) ^ 0x01, middle);

    const damaged = await packageCopy('corrupted-plugin', corrupted);
    const caught = catchError(() => damaged.copy.getEnginePlugin());
    expect(damaged.copy.EnginePluginMissingError.isInstance(caught)).toBe(true);
    expect(caught.code).toBe('backend_unavailable');
    expect(caught.path).toBe(join(damaged.root, 'plugin', 'jsbox-engine.wasm'));
    expect(caught.message).toContain('corrupted');
    expect(caught.message).toContain(expected.sha256);
    expect(caught.message).toContain(createHash('sha256').update(corrupted).digest('hex'));
    expect(caught.message).toMatch(/reinstall @jsbox\/compiler/);
    await expect(damaged.copy.compile('1', { cache: false })).rejects.toSatisfy(
      damaged.copy.EnginePluginMissingError.isInstance,
    );

    // intact: accepted and cached, so damage after the first load is not re-read in this process
    const intact = await packageCopy('intact-plugin', original);
    const plugin = intact.copy.getEnginePlugin();
    expect(plugin.sha256).toBe(expected.sha256);
    writeFileSync(join(intact.root, 'plugin', 'jsbox-engine.wasm'), corrupted);
    expect(intact.copy.getEnginePlugin()).toBe(plugin);
  });

  it('refuses a plugin without a manifest to check it against', async () => {
    const { copy, root } = await packageCopy(
      'no-manifest',
      readFileSync(join(packageRoot, 'plugin', 'jsbox-engine.wasm')),
    );
    rmSync(join(root, 'plugin', 'jsbox-engine.json'));
    const caught = catchError(() => copy.getEnginePlugin());
    expect(copy.EnginePluginMissingError.isInstance(caught)).toBe(true);
    expect(caught.message).toContain('jsbox-engine.json is missing or not JSON');
  });

  it('throws JcoUnavailableError for components when @bytecodealliance/jco is not installed', async () => {
    // a copy of the package whose node_modules holds every dependency except the optional jco
    const root = mkdtempSync(join(tmpdir(), 'jsbox-no-jco-'));
    try {
      for (const name of ['@jsbox/core', 'esbuild', 'zod']) {
        mkdirSync(join(root, 'node_modules', name, '..'), { recursive: true });
        symlinkSync(realpathSync(join(packageRoot, 'node_modules', name)), join(root, 'node_modules', name));
      }
      mkdirSync(join(root, 'dist'));
      copyFileSync(join(dist, 'index.js'), join(root, 'dist', 'index.js'));
      symlinkSync(join(packageRoot, 'plugin'), join(root, 'plugin'));
      // in a plain node child: vitest's resolver would find jco from the workspace root
      const script = [
        `const copy = await import(${JSON.stringify(pathToFileURL(join(root, 'dist', 'index.js')).href)});`,
        "await copy.compile('1', { format: 'static', cache: false });",
        "const error = await copy.compile('1', { format: 'component', cache: false }).catch((caught) => caught);",
        'console.log(JSON.stringify({ typed: copy.JcoUnavailableError.isInstance(error), message: error.message }));',
      ].join('\n');
      const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script]);
      const report = JSON.parse(stdout) as { typed: boolean; message: string };
      expect(report.typed).toBe(true);
      expect(report.message).toMatch(/npm install @bytecodealliance\/jco/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('ships a working `jsbox` bin', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [join(dist, 'cli.js'), '--version']);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const failure = await promisify(execFile)(process.execPath, [join(dist, 'cli.js'), 'compile']).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr).toContain('missing input file');
  });
});
