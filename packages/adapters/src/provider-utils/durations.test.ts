import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseGoDuration, parseProtoDuration, parseResetInstant, parseRetryAfter } from './durations.js';

describe('parseGoDuration', () => {
  it('reads the documented and recorded OpenAI reset values', () => {
    expect(parseGoDuration('6m0s')).toBe(360_000);
    expect(parseGoDuration('1s')).toBe(1000);
    expect(parseGoDuration('12ms')).toBe(12);
    expect(parseGoDuration('26.604s')).toBeCloseTo(26_604);
    expect(parseGoDuration('1h2m3s')).toBe(3_723_000);
  });

  it('rejects what is not a duration', () => {
    for (const text of ['', 'soon', '10', 's', '1x', '-1s', '1s ago'])
      expect(parseGoDuration(text)).toBeUndefined();
    expect(parseGoDuration(undefined)).toBeUndefined();
  });

  it('sums hours, minutes, seconds and milliseconds for any combination', () => {
    fc.assert(
      fc.property(fc.nat(48), fc.nat(59), fc.nat(59), fc.nat(999), (hours, minutes, seconds, millis) => {
        const text = `${hours}h${minutes}m${seconds}s${millis}ms`;
        expect(parseGoDuration(text)).toBe(((hours * 60 + minutes) * 60 + seconds) * 1000 + millis);
      }),
    );
  });

  it('reads fractional seconds as milliseconds', () => {
    fc.assert(
      fc.property(fc.nat(100_000), (millis) => {
        expect(parseGoDuration(`${(millis / 1000).toFixed(3)}s`)).toBeCloseTo(millis, 6);
      }),
    );
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 0, 1, 12, 0, 0);

  it('reads delay seconds', () => {
    fc.assert(
      fc.property(fc.nat(100_000), (seconds) => {
        expect(parseRetryAfter(String(seconds), now)).toBe(seconds * 1000);
      }),
    );
  });

  it('reads an HTTP date relative to now, never negative', () => {
    fc.assert(
      fc.property(fc.integer({ min: -3600, max: 3600 }), (offset) => {
        const date = new Date(now + offset * 1000).toUTCString();
        expect(parseRetryAfter(date, now)).toBe(Math.max(0, offset * 1000));
      }),
    );
  });

  it('ignores garbage', () => {
    expect(parseRetryAfter('later', now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
  });
});

describe('parseResetInstant', () => {
  it('turns an RFC 3339 instant into milliseconds from now', () => {
    const now = Date.parse('2025-08-21T12:40:30Z');
    expect(parseResetInstant('2025-08-21T12:40:59Z', now)).toBe(29_000);
    expect(parseResetInstant('2025-08-21T12:40:00Z', now)).toBe(0);
    expect(parseResetInstant('12:40', now)).toBeUndefined();
  });

  it('agrees with the instant for any offset', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    fc.assert(
      fc.property(fc.nat(86_400), (seconds) => {
        expect(parseResetInstant(new Date(now + seconds * 1000).toISOString(), now)).toBe(seconds * 1000);
      }),
    );
  });
});

describe('parseProtoDuration', () => {
  it('reads Gemini retryDelay values', () => {
    expect(parseProtoDuration('34s')).toBe(34_000);
    expect(parseProtoDuration('10.747338767s')).toBeCloseTo(10_747.338767);
    expect(parseProtoDuration('34')).toBeUndefined();
    expect(parseProtoDuration(undefined)).toBeUndefined();
  });
});
