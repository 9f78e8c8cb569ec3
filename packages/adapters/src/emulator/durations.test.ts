import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatGoDuration, formatRfc3339 } from './durations.js';

const parseGo = (text: string) => {
  let ms = 0;
  for (const [, value, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) {
    ms += Number(value) * { h: 3_600_000, m: 60_000, s: 1000, ms: 1 }[unit as 'h' | 'm' | 's' | 'ms'];
  }
  return ms;
};

describe('formatGoDuration', () => {
  it('writes the forms OpenAI sends: 12ms, 1s, 26.604s, 6m0s', () => {
    expect(formatGoDuration(12)).toBe('12ms');
    expect(formatGoDuration(1000)).toBe('1s');
    expect(formatGoDuration(26_604)).toBe('26.604s');
    expect(formatGoDuration(360_000)).toBe('6m0s');
    expect(formatGoDuration(3_723_500)).toBe('1h2m3.5s');
    expect(formatGoDuration(0)).toBe('0s');
    expect(formatGoDuration(0.2)).toBe('1ms');
  });

  it('round-trips every whole number of milliseconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000_000 }), (ms) => {
        expect(parseGo(formatGoDuration(ms))).toBeCloseTo(ms, 6);
      }),
    );
  });
});

describe('formatRfc3339', () => {
  it('writes a UTC instant without fractions, rounded up to the next second', () => {
    expect(formatRfc3339(Date.UTC(2025, 7, 21, 12, 40, 58, 1))).toBe('2025-08-21T12:40:59Z');
    expect(formatRfc3339(Date.UTC(2025, 7, 21, 12, 40, 59))).toBe('2025-08-21T12:40:59Z');
  });
});
