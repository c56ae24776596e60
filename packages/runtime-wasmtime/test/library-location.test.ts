import {
  closeSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BackendUnavailableError } from '@jsbox/core';
import { describe, expect, it } from 'vitest';
import { checkWasmtimeAvailability, createWasmtimeBackend, PLATFORM_PACKAGE } from '../src/index.js';
import { platformPackageLibrary, verifyLibrary } from '../src/library-location.js';

const directory = mkdtempSync(join(tmpdir(), 'jsbox library test '));
const realLibrary = platformPackageLibrary();
/** File offset of `.rela.dyn` in the pinned 49.0.0 build (`readelf -S`; its sha256 is checked). */
const RELA_DYN_OFFSET = 0xd700;

function unavailableWith(pattern: RegExp) {
  return (error: unknown) => {
    if (!BackendUnavailableError.isInstance(error)) return false;
    expect(error.message).toMatch(pattern);
    // Reason and hint appear once each, and the hint names real commands.
    expect(error.message.match(/is unavailable/g)).toHaveLength(1);
    expect(error.message.match(/Install the platform package/g)).toHaveLength(1);
    expect(error.message).not.toMatch(/pnpm setup/);
    expect(error.hint).toMatch(/node scripts\/setup\.mjs/);
    expect(error.hint).toContain(`npm install ${PLATFORM_PACKAGE}`);
    return true;
  };
}

describe('library location', () => {
  it('finds the platform package library from a directory whose name has a space', () => {
    expect(realLibrary).toBeDefined();
    const project = join(directory, 'my project');
    const packageDirectory = join(project, 'node_modules', ...PLATFORM_PACKAGE.split('/'));
    mkdirSync(join(packageDirectory, 'lib'), { recursive: true });
    writeFileSync(join(packageDirectory, 'package.json'), JSON.stringify({ name: PLATFORM_PACKAGE }));
    symlinkSync(realLibrary!, join(packageDirectory, 'lib', 'libwasmtime.so'));
    const expected = join(packageDirectory, 'lib', 'libwasmtime.so');
    expect(platformPackageLibrary(pathToFileURL(join(project, 'index.js')))).toBe(expected);
    expect(platformPackageLibrary(join(project, 'index.js'))).toBe(expected);
  });

  it('refuses a truncated library without loading it, in this process or another', async () => {
    const truncated = join(directory, 'truncated.so');
    const source = openSync(realLibrary!, 'r');
    const bytes = Buffer.alloc(4_000_000);
    readSync(source, bytes, 0, bytes.byteLength, 0);
    closeSync(source);
    writeFileSync(truncated, bytes);
    await expect(verifyLibrary({ libraryPath: truncated })).rejects.toSatisfy(
      unavailableWith(
        /truncated\.so cannot be libwasmtime 49\.0\.0: it is truncated or corrupt: its segment \d+ ends at byte \d+ but the file has 4000000 bytes/,
      ),
    );
    await expect(createWasmtimeBackend({ libraryPath: truncated })).rejects.toSatisfy(
      unavailableWith(/truncated/),
    );
    for (const loadLibrary of [true, false]) {
      const status = await checkWasmtimeAvailability({ libraryPath: truncated, loadLibrary });
      expect(status).toMatchObject({
        available: false,
        reason: expect.stringMatching(
          /^(?!Backend).*truncated\.so cannot be libwasmtime 49\.0\.0: it is truncated/,
        ),
      });
    }
  });

  it('refuses a library that crashes the process that loads it (probed in a child process)', async () => {
    // Intact headers, but relocations that write to a wild address: dlopen would SIGSEGV.
    const corrupt = join(directory, 'corrupt relocations.so');
    copyFileSync(realLibrary!, corrupt);
    const relocation = Buffer.alloc(24);
    const fd = openSync(corrupt, 'r+');
    for (let index = 0; index < 2000; index++) {
      relocation.writeBigUInt64LE(0x7fff00000000n + BigInt(index * 8), 0);
      relocation.writeBigUInt64LE(8n, 8); // R_X86_64_RELATIVE
      relocation.writeBigInt64LE(0n, 16);
      writeSync(fd, relocation, 0, relocation.byteLength, RELA_DYN_OFFSET + index * 24);
    }
    closeSync(fd);
    expect(await checkWasmtimeAvailability({ libraryPath: corrupt, loadLibrary: false })).toMatchObject({
      available: true,
    });
    const status = await checkWasmtimeAvailability({ libraryPath: corrupt });
    expect(status).toMatchObject({
      available: false,
      reason: expect.stringMatching(/crashed a test process with SIG(SEGV|BUS)/),
    });
    await expect(verifyLibrary({ libraryPath: corrupt })).rejects.toSatisfy(unavailableWith(/SIG(SEGV|BUS)/));
  }, 30_000);

  it('says clearly when a file is missing or not a library', async () => {
    await expect(verifyLibrary({ libraryPath: join(directory, 'absent.so') })).rejects.toSatisfy(
      unavailableWith(/no file at .*absent\.so \(from the libraryPath option\)/),
    );
    const text = join(directory, 'text.so');
    writeFileSync(text, 'not a library');
    await expect(verifyLibrary({ libraryPath: text })).rejects.toSatisfy(
      unavailableWith(/it is not an ELF shared library/),
    );
  });
});
