/**
 * A small, fast, seeded pseudo-random generator (mulberry32): uniform numbers in [0, 1), the
 * same sequence for the same seed. For reproducible tests, workloads and emulated answers;
 * not for anything secret.
 * @example
 * ```ts
 * const random = createSeededRandom(42);
 * random(); // always the same first number for seed 42
 * ```
 */
export function createSeededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
