/** A seeded pseudo-random source whose state can be saved and restored. */
export interface SeededRandom {
  /** A number in [0, 1). */
  next(): number;
  state(): number;
}

/**
 * Mulberry32: small, fast and deterministic; not for cryptography.
 * @example
 * ```ts
 * const random = createSeededRandom(42);
 * random.next(); // always the same first value for seed 42
 * ```
 */
export function createSeededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  return {
    next() {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
    state: () => state,
  };
}
