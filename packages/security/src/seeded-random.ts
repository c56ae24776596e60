/**
 * A small, fast, seeded pseudo-random generator (mulberry32). The same seed gives the same
 * sequence on every machine, so a fuzz or soak run can be repeated exactly.
 */
export class SeededRandom {
  #state: number;

  /** @param seed any integer; equal seeds give equal sequences. */
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** A generator for item `index` of a run seeded with `seed`, independent of the items before it. */
  static forItem(seed: number, index: number): SeededRandom {
    return new SeededRandom(Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35));
  }

  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, below). */
  below(below: number): number {
    return Math.floor(this.next() * below);
  }

  /** An integer in [min, max], inclusive. */
  between(min: number, max: number): number {
    return min + this.below(max - min + 1);
  }

  /** True with probability `probability`. */
  chance(probability: number): boolean {
    return this.next() < probability;
  }

  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)]!;
  }
}
