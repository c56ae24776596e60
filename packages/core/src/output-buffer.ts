/**
 * A byte sink with a hard cap, used by backends to capture guest stdout/stderr while the guest
 * writes: it never holds more than `maxBytes`, whatever the guest sends.
 */
export class OutputBuffer {
  private readonly chunks: Uint8Array[] = [];
  private size = 0;
  /** True once a write did not fit. */
  overflowed = false;

  constructor(readonly maxBytes: number) {}

  /** Appends what fits; returns `false` when the cap was reached (the rest is dropped). */
  write(data: Uint8Array | string): boolean {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const room = this.maxBytes - this.size;
    if (bytes.byteLength > room) {
      if (room > 0) this.push(bytes.subarray(0, room));
      this.overflowed = true;
      return false;
    }
    this.push(bytes);
    return true;
  }

  private push(bytes: Uint8Array): void {
    if (bytes.byteLength === 0) return;
    this.chunks.push(Uint8Array.from(bytes));
    this.size += bytes.byteLength;
  }

  /** Bytes held. */
  get byteLength(): number {
    return this.size;
  }

  /** The captured text; a character cut by the cap is dropped rather than mangled. */
  text(): string {
    const all = Buffer.concat(this.chunks, this.size);
    let end = all.byteLength;
    if (this.overflowed) {
      // Step back over a trailing partial UTF-8 sequence.
      let start = end - 1;
      while (start >= 0 && start > end - 4 && ((all[start] ?? 0) & 0xc0) === 0x80) start--;
      if (start >= 0) {
        const lead = all[start] ?? 0;
        const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
        if (end - start < need) end = start;
      }
    }
    return all.subarray(0, end).toString('utf8');
  }
}
