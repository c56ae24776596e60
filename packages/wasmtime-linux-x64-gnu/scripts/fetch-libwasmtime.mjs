#!/usr/bin/env node
// Obtains the wasmtime C API library from the official `wasmtime` Python wheel (the wheel is the
// upstream distribution channel that carries a ready-built libwasmtime), checks it against pinned
// sha256 values and places it at lib/libwasmtime.so with the upstream license.
//
// pip resolves the wheel through the machine's own pip configuration (index, find-links, proxy):
// no host name is written here. `--check` only verifies an existing library.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';

const WASMTIME_VERSION = '49.0.0';
const WHEEL_FILE = `wasmtime-${WASMTIME_VERSION}-py3-none-manylinux1_x86_64.whl`;
const WHEEL_SHA256 = '94f0288f9e1c33924995a72bb769f4c4e2885002391589dd6992cdaa35d1990a';
const LIBRARY_ENTRY = 'wasmtime/linux-x86_64/_libwasmtime.so';
const LIBRARY_SHA256 = '9594714d3c73c3087ab3d42d9614cf72973b25c181b8625ffcc46a8a75972d7e';
const LICENSE_ENTRY = `wasmtime-${WASMTIME_VERSION}.dist-info/licenses/LICENSE`;

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const libraryFile = join(packageDir, 'lib', 'libwasmtime.so');

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

function fail(message) {
  console.error(`@jsbox/wasmtime-linux-x64-gnu: ${message}`);
  process.exit(1);
}

function libraryIsCurrent() {
  return existsSync(libraryFile) && sha256(readFileSync(libraryFile)) === LIBRARY_SHA256;
}

/** Finds a working pip: `python3 -m pip`, then `pip3`, then `pip`. */
function findPip() {
  const candidates = [
    ['python3', ['-m', 'pip']],
    ['pip3', []],
    ['pip', []],
  ];
  for (const [command, prefix] of candidates) {
    const probe = spawnSync(command, [...prefix, '--version'], { encoding: 'utf8' });
    if (probe.status === 0) return { command, prefix };
  }
  return undefined;
}

/** Reads one stored or deflated entry of a zip archive (the wheel) by name. */
function readZipEntry(zip, name) {
  // End of central directory: the last 0x06054b50 signature.
  let eocd = zip.length - 22;
  while (eocd >= 0 && zip.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error('the wheel is not a zip archive');
  const entries = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  for (let index = 0; index < entries; index++) {
    if (zip.readUInt32LE(offset) !== 0x02014b50) throw new Error('corrupt zip central directory');
    const method = zip.readUInt16LE(offset + 10);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const localOffset = zip.readUInt32LE(offset + 42);
    const entryName = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    if (entryName === name) {
      const dataStart =
        localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
      const data = zip.subarray(dataStart, dataStart + compressedSize);
      if (method === 0) return Buffer.from(data);
      if (method === 8) return inflateRawSync(data);
      throw new Error(`unsupported zip compression method ${method} for ${name}`);
    }
    offset += 46 + nameLength + extraLength + commentLength;
  }
  throw new Error(`${name} is missing from the wheel`);
}

function writeAtomically(file, bytes) {
  const temporary = `${file}.tmp-${process.pid}`;
  writeFileSync(temporary, bytes);
  renameSync(temporary, file);
}

if (process.argv.includes('--check')) {
  if (!libraryIsCurrent())
    fail(`lib/libwasmtime.so is missing or does not match sha256 ${LIBRARY_SHA256}; run the build script`);
  console.log(`libwasmtime ${WASMTIME_VERSION} present and verified`);
  process.exit(0);
}

if (libraryIsCurrent() && existsSync(join(packageDir, 'LICENSE'))) {
  console.log(`libwasmtime ${WASMTIME_VERSION} already present (sha256 verified)`);
  process.exit(0);
}

const pip = findPip();
if (!pip) {
  fail(
    'pip was not found (tried `python3 -m pip`, `pip3`, `pip`). Install Python 3 with pip, or place a libwasmtime ' +
      `${WASMTIME_VERSION} yourself and point JSBOX_WASMTIME_LIBRARY at it.`,
  );
}

const downloadDir = mkdtempSync(join(tmpdir(), 'jsbox-wasmtime-'));
try {
  const download = spawnSync(
    pip.command,
    [
      ...pip.prefix,
      'download',
      '--no-deps',
      '--only-binary=:all:',
      `wasmtime==${WASMTIME_VERSION}`,
      '-d',
      downloadDir,
    ],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (download.status !== 0)
    fail(`pip download of wasmtime==${WASMTIME_VERSION} failed (exit ${download.status})`);
  const wheels = readdirSync(downloadDir).filter((name) => name.endsWith('.whl'));
  if (!wheels.includes(WHEEL_FILE))
    fail(`pip delivered ${wheels.join(', ') || 'nothing'}, expected ${WHEEL_FILE}`);
  const wheel = readFileSync(join(downloadDir, WHEEL_FILE));
  const wheelHash = sha256(wheel);
  if (wheelHash !== WHEEL_SHA256) fail(`${WHEEL_FILE} has sha256 ${wheelHash}, expected ${WHEEL_SHA256}`);
  const library = readZipEntry(wheel, LIBRARY_ENTRY);
  const libraryHash = sha256(library);
  if (libraryHash !== LIBRARY_SHA256)
    fail(`${LIBRARY_ENTRY} has sha256 ${libraryHash}, expected ${LIBRARY_SHA256}`);
  mkdirSync(join(packageDir, 'lib'), { recursive: true });
  writeAtomically(libraryFile, library);
  writeFileSync(join(packageDir, 'LICENSE'), readZipEntry(wheel, LICENSE_ENTRY));
  writeFileSync(
    join(packageDir, 'NOTICE'),
    `lib/libwasmtime.so is the wasmtime ${WASMTIME_VERSION} C API library, built by the Bytecode Alliance and\n` +
      `taken unmodified from the official \`wasmtime\` Python wheel (${WHEEL_FILE}).\n` +
      'Wasmtime is licensed under the Apache License 2.0 with LLVM exception (see LICENSE).\n' +
      'Copyright (c) the Wasmtime project authors.\n',
  );
  console.log(`libwasmtime ${WASMTIME_VERSION} installed at lib/libwasmtime.so (sha256 verified)`);
} finally {
  rmSync(downloadDir, { recursive: true, force: true });
}
