import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const MAGIC = Buffer.from('JSBOX-CWASM-1\n');
const DIGEST_BYTES = 32;

/** The default cache directory: `$XDG_CACHE_HOME/jsbox`, else `~/.cache/jsbox` (`%LOCALAPPDATA%` on Windows). */
export function defaultCacheDirectory(): string {
  if (process.env.XDG_CACHE_HOME) return join(process.env.XDG_CACHE_HOME, 'jsbox');
  if (process.platform === 'win32' && process.env.LOCALAPPDATA)
    return join(process.env.LOCALAPPDATA, 'jsbox', 'cache');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'jsbox');
  return join(homedir(), '.cache', 'jsbox');
}

/** Cache key of a compiled plugin: library version, plugin bytes, engine settings, CPU. */
export function pluginCacheKey(parts: {
  wasmtimeVersion: string;
  pluginSha256: string;
  engineConfig: string;
}): string {
  return createHash('sha256')
    .update(
      `wasmtime=${parts.wasmtimeVersion};plugin=${parts.pluginSha256};${parts.engineConfig};arch=${process.arch}`,
    )
    .digest('hex');
}

function fileOf(directory: string, key: string): string {
  return join(directory, `wasmtime-plugin-${key}.cwasm`);
}

/**
 * Reads a serialized plugin from the disk cache. The file carries a sha256 of its payload, so
 * a truncated or corrupt entry is ignored (and removed) instead of being handed to wasmtime,
 * which trusts serialized code.
 */
export function readCachedPlugin(directory: string, key: string): Uint8Array | undefined {
  const file = fileOf(directory, key);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return undefined;
  }
  const header = MAGIC.byteLength + DIGEST_BYTES;
  const payload = bytes.subarray(header);
  const intact =
    bytes.byteLength > header &&
    bytes.subarray(0, MAGIC.byteLength).equals(MAGIC) &&
    createHash('sha256').update(payload).digest().equals(bytes.subarray(MAGIC.byteLength, header));
  if (!intact) {
    rmSync(file, { force: true });
    return undefined;
  }
  return new Uint8Array(payload);
}

/** Writes a serialized plugin atomically (temp file + rename); failures only cost a recompile. */
export function writeCachedPlugin(directory: string, key: string, serialized: Uint8Array): void {
  const file = fileOf(directory, key);
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    mkdirSync(directory, { recursive: true });
    const digest = createHash('sha256').update(serialized).digest();
    writeFileSync(temporary, Buffer.concat([MAGIC, digest, serialized]), { mode: 0o600 });
    renameSync(temporary, file);
  } catch {
    rmSync(temporary, { force: true });
  }
}
