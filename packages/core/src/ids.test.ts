import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createUlidFactory, isUlid } from './index.js';

describe('ULIDs', () => {
  it('are well formed and sort in creation order, even within one millisecond', () => {
    let now = 1_700_000_000_000;
    const next = createUlidFactory({ now: () => now, random: () => 0.999999 });
    const ids: string[] = [];
    for (let i = 0; i < 2_000; i++) {
      if (i % 500 === 0) now += 1;
      ids.push(next());
    }
    expect(ids.every(isUlid)).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('encode the timestamp in the first ten characters', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), (time) => {
        const a = createUlidFactory({ now: () => time })();
        const b = createUlidFactory({ now: () => time + 1 })();
        return a.slice(0, 10) < b.slice(0, 10);
      }),
    );
  });

  it('are recognised exactly as the ULID pattern says', () => {
    const pattern = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;
    const nearUlid = fc
      .array(fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabz-\u00e9\u0130'.split('')), {
        minLength: 24,
        maxLength: 28,
      })
      .map((chars) => chars.join(''));
    fc.assert(
      fc.property(fc.oneof(fc.string(), nearUlid), (value) => {
        expect(isUlid(value)).toBe(pattern.test(value));
      }),
      { numRuns: 5000 },
    );
    expect(isUlid('7ZZZZZZZZZZZZZZZZZZZZZZZZZ')).toBe(true);
    expect(isUlid('8ZZZZZZZZZZZZZZZZZZZZZZZZZ')).toBe(false);
    expect(isUlid('01ARZ3NDEKTSV4RRFFQ69G5FAV')).toBe(true);
    expect(isUlid('01ARZ3NDEKTSV4RRFFQ69G5FAU')).toBe(false);
  });
});
