import { LruMap } from './lru-map.js';

/** Sources longer than this are not kept (the key is the source itself). */
const MAX_KEYED_SOURCE_CHARS = 16 * 1024;
/** Entries kept per thread. */
const CAPACITY = 64;

/**
 * A small per-thread LRU of what a source compiled to, keyed by the source text itself plus
 * everything else that shapes the compile (language, file name, size cap). Running the same short
 * program again (an agent's retry, a health check, a benchmark) then skips QuickJS's parser.
 */
export class SourceCache<V> extends LruMap<string, V> {
  constructor() {
    super(CAPACITY);
  }

  /** The cache key of a compile's inputs, or `undefined` when the source is too long to keep. */
  static key(parts: readonly string[]): string | undefined {
    const length = parts.reduce((sum, part) => sum + part.length, 0);
    if (length > MAX_KEYED_SOURCE_CHARS) return undefined;
    return parts.map((part) => `${part.length}:${part}`).join('\0');
  }
}
