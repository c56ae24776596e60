import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { log } from './progress.mjs';
import { runCommand } from './run-command.mjs';

/** Where Debian's wasi-libc puts its headers and libraries. */
const WASI_INCLUDE = '/usr/include/wasm32-wasi';
const WASI_LIB = '/usr/lib/wasm32-wasi';

/** Debian's view of each package: its version when installed, `missing` otherwise. */
async function packageVersions(packages) {
  const versionOf = async (name) => {
    try {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query format syntax, not a JS template
      const { stdout } = await runCommand('dpkg-query', ['-W', '-f=${Status}\t${Version}', name]);
      const [status, version] = stdout.split('\t');
      return status.includes('install ok installed') && version ? version.trim() : 'missing';
    } catch {
      return 'missing';
    }
  };
  const versions = await Promise.all(packages.map(versionOf));
  return Object.fromEntries(packages.map((name, index) => [name, versions[index]]));
}

async function missingPackages(packages) {
  const versions = await packageVersions(packages);
  return packages.filter((name) => versions[name] === 'missing');
}

/**
 * Makes sure the WASI C toolchain from Debian is installed (clang, lld, wasi-libc and the wasm32
 * compiler-rt builtins), installing it with apt when we are root.
 */
export async function ensureToolchain(pins) {
  const packages = pins.toolchain.aptPackages;
  const missing = await missingPackages(packages);
  if (missing.length === 0) return;
  const command = `apt-get update && apt-get install -y ${packages.join(' ')}`;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `the WASI C toolchain is missing (${missing.join(', ')}); install it with:\n  sudo sh -c '${command}'`,
    );
  }
  log(`installing ${missing.join(' ')} from apt`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await runCommand('apt-get', ['update'], { env });
  await runCommand('apt-get', ['install', '-y', ...packages], { env });
}

/**
 * A sysroot holding only wasi-libc: pointing clang at /usr itself would drag glibc's headers
 * into a wasm build.
 */
export function prepareSysroot(cacheDir) {
  const sysroot = join(cacheDir, 'sysroot');
  rmSync(sysroot, { recursive: true, force: true });
  mkdirSync(join(sysroot, 'lib'), { recursive: true });
  if (!existsSync(WASI_INCLUDE) || !existsSync(WASI_LIB)) {
    throw new Error(`wasi-libc is not where Debian installs it (${WASI_INCLUDE}, ${WASI_LIB})`);
  }
  symlinkSync(WASI_INCLUDE, join(sysroot, 'include'));
  symlinkSync(WASI_LIB, join(sysroot, 'lib', 'wasm32-wasi'));
  return sysroot;
}

async function versionLine(command) {
  const { stdout } = await runCommand(command, ['--version']);
  return stdout.split('\n')[0];
}

/** clang's version line, part of the inputs hash (a different compiler makes a different plugin). */
export function compilerVersion() {
  return versionLine('clang');
}

/**
 * What the toolchain is, for the inputs hash: clang's and wasm-ld's version lines and the Debian
 * versions of the pinned packages (wasi-libc and compiler-rt change the plugin too). A tool that
 * is not installed reads `missing`, so the hash then differs from any real build.
 */
export async function toolchainVersions(pins) {
  const orMissing = (promise) => promise.catch(() => 'missing');
  const [clang, wasmLd, packages] = await Promise.all([
    orMissing(compilerVersion()),
    orMissing(versionLine('wasm-ld')),
    packageVersions(pins.toolchain.aptPackages),
  ]);
  return { clang, wasmLd, packages };
}
