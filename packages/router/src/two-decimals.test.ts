import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { twoDecimals } from './two-decimals.js';

describe('two decimals', () => {
  it('print every number as toFixed(2) does', () => {
    fc.assert(
      fc.property(fc.double(), fc.double({ min: -12, max: 12 }), (any, small) => {
        expect(twoDecimals(any)).toBe(any.toFixed(2));
        expect(twoDecimals(small)).toBe(small.toFixed(2));
      }),
    );
  });

  it('print halves, tiny negatives, negative zero and large figures as toFixed(2) does', () => {
    for (const value of [
      0.005,
      0.015,
      0.125,
      1.005,
      2.675,
      9.995,
      99.995,
      -0.001,
      -0,
      0,
      1e-300,
      1e21,
      -7.5e3,
      NaN,
      Infinity,
    ])
      expect(twoDecimals(value)).toBe(value.toFixed(2));
    // A second call reads the table the first one filled.
    expect(twoDecimals(0.125)).toBe('0.13');
    expect(twoDecimals(-0.12)).toBe('-0.12');
  });
});
