import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseAnthropicRateLimit,
  parseOpenAIRateLimit,
  parseRetryAfterHeaders,
  readHeaders,
} from './headers.js';

describe('readHeaders', () => {
  it('reads fetch Headers and plain records case-insensitively', () => {
    expect(readHeaders(new Headers({ 'Retry-After': '5' }))('retry-after')).toBe('5');
    expect(readHeaders({ 'Retry-After': '5' })('retry-after')).toBe('5');
    expect(readHeaders(undefined)('retry-after')).toBeUndefined();
  });
});

describe('parseOpenAIRateLimit', () => {
  it('reads the recorded OpenAI headers', () => {
    const headers = new Headers({
      'x-ratelimit-limit-requests': '5000',
      'x-ratelimit-limit-tokens': '800000',
      'x-ratelimit-remaining-requests': '4999',
      'x-ratelimit-remaining-tokens': '799986',
      'x-ratelimit-reset-requests': '12ms',
      'x-ratelimit-reset-tokens': '6m0s',
    });
    expect(parseOpenAIRateLimit(headers)).toEqual({
      limitRequests: 5000,
      limitTokens: 800000,
      remainingRequests: 4999,
      remainingTokens: 799986,
      resetRequestsMs: 12,
      resetTokensMs: 360_000,
    });
  });

  it('is undefined without rate-limit headers', () => {
    expect(parseOpenAIRateLimit(new Headers({ 'content-type': 'application/json' }))).toBeUndefined();
  });

  it('round-trips any counts and resets', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.nat(59), fc.nat(999), (limit, remaining, seconds, millis) => {
        const info = parseOpenAIRateLimit({
          'x-ratelimit-limit-tokens': String(limit),
          'x-ratelimit-remaining-tokens': String(remaining),
          'x-ratelimit-reset-tokens': `${seconds}s${millis}ms`,
        });
        expect(info).toEqual({
          limitTokens: limit,
          remainingTokens: remaining,
          resetTokensMs: seconds * 1000 + millis,
        });
      }),
    );
  });
});

describe('parseAnthropicRateLimit', () => {
  it('reads the recorded Anthropic headers, resets relative to now', () => {
    const now = Date.parse('2025-08-21T12:40:50Z');
    const info = parseAnthropicRateLimit(
      {
        'anthropic-ratelimit-requests-limit': '1000',
        'anthropic-ratelimit-requests-remaining': '999',
        'anthropic-ratelimit-requests-reset': '2025-08-21T12:40:59Z',
        'anthropic-ratelimit-tokens-limit': '96000',
        'anthropic-ratelimit-tokens-remaining': '96000',
        'anthropic-ratelimit-tokens-reset': '2025-08-21T12:41:00Z',
      },
      now,
    );
    expect(info).toEqual({
      limitRequests: 1000,
      remainingRequests: 999,
      resetRequestsMs: 9000,
      limitTokens: 96000,
      remainingTokens: 96000,
      resetTokensMs: 10_000,
    });
  });

  it('falls back to the input-tokens family', () => {
    const info = parseAnthropicRateLimit({ 'anthropic-ratelimit-input-tokens-limit': '80000' }, 0);
    expect(info).toEqual({ limitTokens: 80000 });
  });
});

describe('parseRetryAfterHeaders', () => {
  it('prefers retry-after-ms, then retry-after seconds or date', () => {
    const now = Date.UTC(2026, 0, 1);
    expect(parseRetryAfterHeaders({ 'retry-after-ms': '250', 'retry-after': '9' }, now)).toBe(250);
    expect(parseRetryAfterHeaders({ 'retry-after': '9' }, now)).toBe(9000);
    expect(parseRetryAfterHeaders({ 'retry-after': new Date(now + 5000).toUTCString() }, now)).toBe(5000);
    expect(parseRetryAfterHeaders({}, now)).toBeUndefined();
  });

  it('agrees with itself for any seconds value', () => {
    fc.assert(
      fc.property(fc.nat(86_400), (seconds) => {
        expect(parseRetryAfterHeaders(new Headers({ 'retry-after': String(seconds) }), 0)).toBe(
          seconds * 1000,
        );
      }),
    );
  });
});
