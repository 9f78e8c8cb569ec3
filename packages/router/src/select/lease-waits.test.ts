import { createEventBus } from '@forge1/core';
import { createFakeClock } from '@forge1/core/testing';
import { describe, expect, it } from 'vitest';
import { createLeaseWaits } from './lease-waits.js';

describe('lease waits', () => {
  it('raises a tenant and provider pressure at once and halves it every half-life', async () => {
    const clock = createFakeClock();
    const waits = createLeaseWaits({ clock, saturatedWaitMs: 1000, halfLifeMs: 5000 });
    waits.observe('acme', 'google', 2500);
    expect(waits.pressure('acme', 'google')).toBe(1);
    await clock.advance(5000);
    expect(waits.pressure('acme', 'google')).toBeCloseTo(0.5, 9);
    waits.observe('acme', 'google', 250);
    expect(waits.pressure('acme', 'google')).toBeCloseTo(0.5, 9);
    await clock.advance(10_000);
    expect(waits.pressure('acme', 'google')).toBeCloseTo(0.125, 9);
  });

  it('keeps tenants and providers apart and ignores waits of zero or nonsense', () => {
    const waits = createLeaseWaits({ clock: createFakeClock() });
    waits.observe('acme', 'google', 500);
    waits.observe('acme', 'openai', 0);
    waits.observe('acme', 'openai', Number.NaN);
    expect(waits.pressure('acme', 'google')).toBe(0.5);
    expect(waits.pressure('acme', 'openai')).toBe(0);
    expect(waits.pressure('bank', 'google')).toBe(0);
  });

  it('forgets the oldest pair beyond its limit', () => {
    const waits = createLeaseWaits({ clock: createFakeClock(), limit: 2 });
    waits.observe('a', 'google', 1000);
    waits.observe('b', 'google', 1000);
    waits.observe('c', 'google', 1000);
    expect(waits.pressure('a', 'google')).toBe(0);
    expect(waits.pressure('c', 'google')).toBe(1);
  });

  it('reads the waits the gateway reports in attempt.start events until detached', () => {
    const events = createEventBus();
    const waits = createLeaseWaits({ clock: createFakeClock() });
    const stop = waits.attach(events);
    const start = {
      requestId: 'r1',
      tenantId: 'acme',
      attempt: 1,
      provider: 'google',
      model: 'gemini-2.5-flash-lite',
      keyId: 'g1',
      queueWaitMs: 2000,
      cascaded: false,
      fallback: false,
      purpose: 'answer' as const,
    };
    events.emit('attempt.start', start);
    expect(waits.pressure('acme', 'google')).toBe(1);
    stop();
    events.emit('attempt.start', { ...start, tenantId: 'bank' });
    expect(waits.pressure('bank', 'google')).toBe(0);
  });
});
