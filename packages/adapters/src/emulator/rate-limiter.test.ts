import { createFakeClock } from '@forge1/core/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EmulatorKeyLimits } from './emulator-options.js';
import { createRateLimiter } from './rate-limiter.js';

function limiter(
  limits: Record<string, EmulatorKeyLimits>,
  defaultLimits: EmulatorKeyLimits = {},
  windowMs = 60_000,
) {
  const clock = createFakeClock();
  return {
    clock,
    limiter: createRateLimiter({
      windowMs,
      limits: new Map(Object.entries(limits)),
      defaultLimits,
      now: clock.now,
    }),
  };
}

describe('createRateLimiter', () => {
  it('lets a full bucket burst up to the RPM, then refuses with the time until one request refills', () => {
    const { limiter: subject } = limiter({ a: { rpm: 3 } });
    expect([1, 2, 3].map(() => subject.admit('a', 0).admitted)).toEqual([true, true, true]);
    const refused = subject.admit('a', 0);
    expect(refused).toMatchObject({
      admitted: false,
      kind: 'requests',
      limit: 3,
      used: 3,
      retryAfterMs: 20_000,
    });
  });

  it('refills continuously: one request per window/limit', async () => {
    const { clock, limiter: subject } = limiter({ a: { rpm: 4 } }, {}, 1_000);
    for (let index = 0; index < 4; index++) subject.admit('a', 0);
    await clock.advance(249);
    expect(subject.admit('a', 0).admitted).toBe(false);
    await clock.advance(1);
    expect(subject.admit('a', 0).admitted).toBe(true);
  });

  it('refuses on tokens when the debit does not fit, and says a request larger than the limit never fits', () => {
    const { limiter: subject } = limiter({ a: { tpm: 1000 } });
    expect(subject.admit('a', 800).admitted).toBe(true);
    expect(subject.admit('a', 300)).toMatchObject({
      admitted: false,
      kind: 'tokens',
      used: 800,
      requested: 300,
      retryAfterMs: 6_000,
    });
    expect(subject.admit('a', 1001)).toMatchObject({
      admitted: false,
      retryAfterMs: Number.POSITIVE_INFINITY,
    });
  });

  it('charges nothing for a refused request', () => {
    const { limiter: subject } = limiter({ a: { rpm: 10, tpm: 100 } });
    subject.admit('a', 200);
    expect(subject.peek('a')).toEqual({
      requests: { limit: 10, remaining: 10, resetMs: 0 },
      tokens: { limit: 100, remaining: 100, resetMs: 0 },
    });
  });

  it('applies default limits to unlisted keys, each with its own bucket, and none when unlimited', () => {
    const { limiter: subject } = limiter({ listed: {} }, { rpm: 1 });
    expect(subject.admit('x', 0).admitted).toBe(true);
    expect(subject.admit('y', 0).admitted).toBe(true);
    expect(subject.admit('x', 0).admitted).toBe(false);
    for (let index = 0; index < 50; index++) expect(subject.admit('listed', 1e9).admitted).toBe(true);
    expect(subject.peek('listed')).toEqual({});
  });

  it('reports remaining and the time until full after each admission', () => {
    const { limiter: subject } = limiter({ a: { rpm: 2, tpm: 600 } });
    const admitted = subject.admit('a', 60);
    expect(admitted.state).toEqual({
      requests: { limit: 2, remaining: 1, resetMs: 30_000 },
      tokens: { limit: 600, remaining: 540, resetMs: 6_000 },
    });
  });

  it('takes new limits at once through setLimits', () => {
    const { limiter: subject } = limiter({ a: { rpm: 1 } });
    subject.admit('a', 0);
    expect(subject.admit('a', 0).admitted).toBe(false);
    subject.setLimits('a', { rpm: 5 });
    expect(subject.admit('a', 0).admitted).toBe(true);
    subject.setLimits('a', {});
    expect(subject.peek('a')).toEqual({});
  });

  it('never admits more than limit + elapsed × rate over any run (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 50 }),
        fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 60 }),
        async (rpm, gaps) => {
          const { clock, limiter: subject } = limiter({ a: { rpm } }, {}, 1_000);
          let admitted = 0;
          let elapsed = 0;
          for (const gap of gaps) {
            await clock.advance(gap);
            elapsed += gap;
            if (subject.admit('a', 0).admitted) admitted += 1;
          }
          expect(admitted).toBeLessThanOrEqual(rpm + Math.floor((elapsed * rpm) / 1_000));
        },
      ),
      { numRuns: 50 },
    );
  });
});
