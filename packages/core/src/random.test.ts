import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSeededRandom } from './index.js';

describe('createSeededRandom', () => {
  it('repeats its sequence for a seed and differs across seeds', () => {
    const take = (seed: number) => Array.from({ length: 5 }, createSeededRandom(seed));
    expect(take(42)).toEqual(take(42));
    expect(take(42)).not.toEqual(take(43));
  });

  it('stays in [0, 1) and spreads evenly', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const random = createSeededRandom(seed);
        let sum = 0;
        for (let i = 0; i < 2_000; i++) {
          const value = random();
          if (value < 0 || value >= 1) return false;
          sum += value;
        }
        return Math.abs(sum / 2_000 - 0.5) < 0.05;
      }),
      { numRuns: 50 },
    );
  });
});
