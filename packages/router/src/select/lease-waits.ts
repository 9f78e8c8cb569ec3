import { type Clock, type EventBus, systemClock } from '@forge1/core';
import { createLru } from '../lru.js';

/** Options of {@link createLeaseWaits}. */
export interface LeaseWaitsOptions {
  /** A wait this long counts as a saturated provider (pressure 1). @default 1000 */
  saturatedWaitMs?: number;
  /** Time for a pressure to halve once waits stop. @default 5000 */
  halfLifeMs?: number;
  /** Tenant–provider pairs remembered, oldest dropped first. @default 10000 */
  limit?: number;
  /** @default systemClock */
  clock?: Clock;
}

/** How long a tenant's recent requests waited for a provider's keys, as a pressure 0..1. */
export interface LeaseWaits {
  /** Records one lease wait of a tenant's request on a provider. */
  observe(tenantId: string, provider: string, waitMs: number): void;
  /** 0 (no recent wait) … 1 (recent waits at least `saturatedWaitMs`), decaying with time. */
  pressure(tenantId: string, provider: string): number;
  /** Listens to a gateway's `attempt.start` events; returns a function that stops listening. */
  attach(events: EventBus): () => void;
}

/**
 * Lease waits the gateway reports, per tenant and provider: the capacity a key pool's headroom
 * cannot show (capacity held for higher tiers, dedicated keys), seen where it bites. A wait raises
 * the pressure at once to `wait / saturatedWaitMs`; the pressure then halves every `halfLifeMs`.
 */
export function createLeaseWaits(options: LeaseWaitsOptions = {}): LeaseWaits {
  const saturatedWaitMs = options.saturatedWaitMs ?? 1000;
  const halfLifeMs = options.halfLifeMs ?? 5000;
  const limit = options.limit ?? 10_000;
  const clock = options.clock ?? systemClock;
  const entries = createLru<string, { value: number; at: number }>(limit);
  const key = (tenantId: string, provider: string) => `${provider}\u0000${tenantId}`;
  const decayed = (entry: { value: number; at: number }, now: number) =>
    entry.value * 0.5 ** (Math.max(0, now - entry.at) / halfLifeMs);

  const waits: LeaseWaits = {
    observe(tenantId, provider, waitMs) {
      if (!Number.isFinite(waitMs) || waitMs <= 0) return;
      const now = clock.now();
      const id = key(tenantId, provider);
      const previous = entries.peek(id);
      const value = Math.max(previous ? decayed(previous, now) : 0, Math.min(1, waitMs / saturatedWaitMs));
      entries.set(id, { value, at: now });
    },
    pressure(tenantId, provider) {
      // Asked for every provider of every decision: most routers have seen no wait at all.
      if (entries.size === 0) return 0;
      const entry = entries.peek(key(tenantId, provider));
      return entry ? decayed(entry, clock.now()) : 0;
    },
    attach(events) {
      return events.on('attempt.start', (event) => {
        waits.observe(event.tenantId, event.provider, event.queueWaitMs);
      });
    },
  };
  return waits;
}
