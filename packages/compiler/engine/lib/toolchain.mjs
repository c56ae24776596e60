import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { log } from './progress.mjs';
import { runCommand } from './run-command.mjs';

/** Where Debian's wasi-libc puts its headers and libraries. */
const WASI_INCLUDE = '/usr/include/wasm32-wasi';
const WASI_LIB = '/usr/lib/wasm32-wasi';

async function missingPackages(packages) {
  const missing = [];
  for (const name of packages) {
    try {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query format syntax, not a JS template
      const { stdout } = await runCommand('dpkg-query', ['-W', '-f=${Status}', name]);
      if (!stdout.includes('install ok installed')) missing.push(name);
    } catch {
      missing.push(name);
    }
  }
  return missing;
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

/** clang's version line, part of the inputs hash (a different compiler makes a different plugin). */
export async function compilerVersion() {
  const { stdout } = await runCommand('clang', ['--version']);
  return stdout.split('\n')[0];
}
