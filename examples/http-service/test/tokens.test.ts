import { createFakeClock } from '@forge1/core/testing';
import { describe, expect, it } from 'vitest';
import { createCallerLimits } from '../src/caller-limits.ts';
import { createTokenRegistry, hashToken } from '../src/tokens.ts';

const token = 'tok-unit-1a2b3c4d5e6f7a8b';

describe('the token registry', () => {
  it('knows a token configured by its hash alone, and never holds the token', () => {
    const registry = createTokenRegistry([{ tokenHash: hashToken(token), tenantId: 'acme' }]);
    const found = registry.lookup(token);
    expect(found).toMatchObject({ ok: true, token: { tenantId: 'acme' } });
    expect(JSON.stringify(found)).not.toContain(token);
    expect(registry.lookup(`${token}x`)).toEqual({ ok: false, reason: 'unknown' });
  });

  it('refuses short, duplicate and malformed entries with a validation error', () => {
    expect(() => createTokenRegistry([{ token: 'short', tenantId: 'a' }])).toThrow(/16 characters/);
    expect(() =>
      createTokenRegistry([
        { token, tenantId: 'a' },
        { tokenHash: hashToken(token), tenantId: 'b' },
      ]),
    ).toThrow(/twice/);
    expect(() => createTokenRegistry([{ tokenHash: 'md5:abc', tenantId: 'a' }])).toThrow(/sha256/);
    expect(() => createTokenRegistry([{ token, tenantId: '' }])).toThrow(/tenant id/);
  });

  it('expires a token at its time and keeps a rotated one until the grace period ends', async () => {
    const clock = createFakeClock(1_000);
    const registry = createTokenRegistry([{ token, tenantId: 'acme', expiresAt: 5_000 }], clock);
    const next = 'tok-unit-next-9f8e7d6c5b4a';
    registry.rotate(token, next, { graceMs: 1_000 });
    await clock.advance(999);
    expect(registry.lookup(token).ok).toBe(true);
    await clock.advance(1);
    expect(registry.lookup(token)).toEqual({ ok: false, reason: 'expired' });
    expect(registry.lookup(next).ok).toBe(true);
    await clock.advance(3_000);
    expect(registry.lookup(next)).toEqual({ ok: false, reason: 'expired' });
    expect(registry.revoke(next)).toBe(true);
    expect(registry.size).toBe(1);
  });
});

describe('per-caller limits', () => {
  it('refills a caller bucket over time and answers 429 with Retry-After when it is empty', async () => {
    const clock = createFakeClock(0);
    const limits = createCallerLimits({ requestsPerMinute: 60, burst: 2, clock });
    const caller = { tenantId: 'acme', tokenId: 't1' };
    expect(limits.admit(caller)).toBeUndefined();
    expect(limits.admit(caller)).toBeUndefined();
    const refused = limits.admit(caller);
    expect(refused).toMatchObject({ status: 429, headers: { 'retry-after': '1' } });
    // Another caller of the same tenant has its own bucket.
    expect(limits.admit({ tenantId: 'acme', tokenId: 't2' })).toBeUndefined();
    await clock.advance(1_000);
    expect(limits.admit(caller)).toBeUndefined();
  });

  it('counts open streams per caller and frees a slot once when a stream ends', () => {
    const limits = createCallerLimits({ maxConcurrentStreams: 1 });
    const caller = { tenantId: 'acme' };
    const end = limits.openStream(caller);
    expect(typeof end).toBe('function');
    expect(limits.openStream(caller)).toMatchObject({ status: 429 });
    (end as () => void)();
    (end as () => void)();
    expect(typeof limits.openStream(caller)).toBe('function');
    expect(limits.openStream(caller)).toMatchObject({ status: 429 });
  });
});
