import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CompileResult } from './compile-result.js';

/** Options of {@link CompileCache}. */
export interface CompileCacheOptions {
  /** Most entries kept in memory (default 256). */
  maxEntries?: number;
  /** Most module bytes kept in memory (default 64 MiB). */
  maxBytes?: number;
  /** Also keep entries as files in this directory (created on demand); shared between processes. */
  directory?: string;
}

/** File layout version of on-disk entries; bump when the layout changes so old files are ignored. */
const DISK_FORMAT = 'jsbox-compile-cache-1';

interface StoredMetadata extends Omit<CompileResult, 'bytes'> {
  layout: string;
}

/**
 * Content-addressed store of compile results: an in-memory LRU bounded by entries and bytes,
 * plus an optional directory on disk. Disk writes are atomic (temp file + rename); entries that
 * fail to parse or whose bytes do not match their sha256 are ignored and removed.
 *
 * @example
 * const cache = new CompileCache({ directory: '.jsbox-cache' });
 * await compile('1 + 1', { cache });
 */
export class CompileCache {
  private readonly entries = new Map<string, CompileResult>();
  private bytes = 0;
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  /** The on-disk directory, if any. */
  readonly directory: string | undefined;

  constructor(options: CompileCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 256;
    this.maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    this.directory = options.directory;
  }

  /** Number of entries in memory. */
  get size(): number {
    return this.entries.size;
  }

  /** Builds a cache key from the parts that determine a compile's output. */
  static key(parts: readonly string[]): string {
    const hash = createHash('sha256');
    for (const part of parts) hash.update(`${part.length}:${part}`);
    return hash.digest('hex');
  }

  /** The cached result for `key` (memory first, then disk), or `undefined`. */
  async get(key: string): Promise<CompileResult | undefined> {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return copy(hit);
    }
    if (!this.directory) return undefined;
    const fromDisk = await this.readDisk(key);
    if (fromDisk) this.remember(key, fromDisk);
    return fromDisk ? copy(fromDisk) : undefined;
  }

  /** Stores `result` under `key` (memory, and disk when a directory is set). Disk failures are ignored. */
  async set(key: string, result: CompileResult): Promise<void> {
    this.remember(key, copy(result));
    if (this.directory) await this.writeDisk(key, result).catch(() => undefined);
  }

  /** Empties the in-memory part. */
  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  private remember(key: string, result: CompileResult): void {
    if (result.bytes.length > this.maxBytes) return;
    const previous = this.entries.get(key);
    if (previous) {
      this.entries.delete(key);
      this.bytes -= previous.bytes.length;
    }
    this.entries.set(key, result);
    this.bytes += result.bytes.length;
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= entry.bytes.length;
    }
  }

  private path(key: string): string {
    return join(this.directory!, `${key}.jsbc`);
  }

  private async readDisk(key: string): Promise<CompileResult | undefined> {
    let data: Buffer;
    try {
      data = await readFile(this.path(key));
    } catch {
      return undefined;
    }
    const parsed = parseEntry(data);
    if (!parsed) await rm(this.path(key), { force: true }).catch(() => undefined);
    return parsed;
  }

  private async writeDisk(key: string, result: CompileResult): Promise<void> {
    const { bytes, ...rest } = result;
    const metadata: StoredMetadata = { ...rest, layout: DISK_FORMAT };
    const header = Buffer.from(JSON.stringify(metadata), 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32LE(header.length);
    await mkdir(this.directory!, { recursive: true });
    const temporary = `${this.path(key)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(temporary, Buffer.concat([length, header, bytes]));
      await rename(temporary, this.path(key));
    } catch (error) {
      await rm(temporary, { force: true }).catch(() => undefined);
      throw error;
    }
  }
}

function parseEntry(data: Buffer): CompileResult | undefined {
  try {
    if (data.length < 4) return undefined;
    const headerLength = data.readUInt32LE(0);
    if (4 + headerLength > data.length) return undefined;
    const metadata = JSON.parse(data.subarray(4, 4 + headerLength).toString('utf8')) as StoredMetadata;
    if (metadata.layout !== DISK_FORMAT || typeof metadata.sha256 !== 'string') return undefined;
    const bytes = new Uint8Array(data.subarray(4 + headerLength));
    if (createHash('sha256').update(bytes).digest('hex') !== metadata.sha256) return undefined;
    const { layout: _layout, ...rest } = metadata;
    return { ...rest, bytes };
  } catch {
    return undefined;
  }
}

function copy(result: CompileResult): CompileResult {
  return { ...result, bytes: result.bytes.slice(), sizes: { ...result.sizes } };
}
