import { ClosedError, createEventBus, defaultTierSettings, systemClock } from '@forge1/core';
import { catalogProviders, parseKeys, parsePoolOptions, planTiers } from '../keys/key-options.js';
import { createMemoryStateStore } from '../store/memory-state-store.js';
import { Admission } from './admission.js';
import { KeyHealth } from './key-health.js';
import { KeyLifecycle } from './key-lifecycle.js';
import { LeaseBook } from './lease-book.js';
import type { PoolContext } from './pool-context.js';
import { PoolSignals } from './pool-signals.js';
import { keyStats } from './pool-stats.js';
import type { KeyPool, KeyPoolOptions, PoolStats } from './pool-types.js';
import { createReserves } from './provider-plan.js';
import { StoreCalls } from './store-calls.js';
import { WaiterPump } from './waiter-pump.js';
import { finishWaiter } from './waiter-refusals.js';

/**
 * Creates a key pool: lends provider keys within their rolling RPM/TPM (and RPD, concurrency,
 * group) budgets, dedicated keys first, shared keys holding back the reserves of higher tiers,
 * backup keys last; queues by tier priority with aging when nothing has room.
 *
 * @example
 * ```ts
 * const pool = createKeyPool({
 *   keys: [
 *     { id: 'openai-1', provider: 'openai', secret: process.env.OPENAI_KEY_1!, rpm: 500, tpm: 200_000 },
 *     { id: 'openai-2', provider: 'openai', secret: () => vault.read('openai-2'), rpm: 500, tpm: 200_000 },
 *   ],
 * });
 * const lease = await pool.acquire({ provider: 'openai', model: 'gpt-4o-mini', estTokens: 900, tenantId: 'acme', tier: 'standard' });
 * try { const result = await callOpenAI(lease.secret); lease.release({ usage: result.usage }); }
 * catch (error) { lease.release({ error }); throw error; }
 * ```
 * @throws ValidationError on bad options or keys (duplicate ids, non-positive limits, unknown providers or groups).
 */
export function createKeyPool(options: KeyPoolOptions): KeyPool {
  const parsed = parsePoolOptions(options);
  const clock = parsed.clock ?? systemClock;
  const ownStore = parsed.store === undefined;
  const events = parsed.events ?? createEventBus();
  const tierPlan = planTiers(defaultTierSettings, parsed.tiers);
  const knownProviders = new Set([...catalogProviders, ...parsed.providers]);
  const configs = parseKeys(parsed.keys, {
    providers: knownProviders,
    groups: parsed.groups,
    existing: new Set(),
  });
  const context: PoolContext = {
    options: parsed,
    clock,
    store: parsed.store ?? createMemoryStateStore({ clock }),
    storeCalls: new StoreCalls(events),
    events,
    random: (parsed.random as (() => number) | undefined) ?? Math.random,
    tierPlan,
    tierIndex: new Map(tierPlan.map((entry, index) => [entry.tier, index])),
    providers: new Map(),
    keysById: new Map(),
    closed: false,
  };
  const reserves = createReserves(context);
  const health = new KeyHealth(context, (provider, afterMs) => pump.wake(provider, afterMs));
  const leases = new LeaseBook(context, health, (provider) => pump.pump(provider));
  const pump = new WaiterPump(context, leases, reserves);
  const admission = new Admission(context, leases, pump, reserves);
  const lifecycle = new KeyLifecycle(context, health, leases, knownProviders, (provider) =>
    pump.pump(provider),
  );
  const signals = new PoolSignals(context, reserves);

  for (const config of configs) void lifecycle.addConfig(config);
  const unwatch = context.store.watch?.((keyId) => {
    const key = context.keysById.get(keyId);
    const provider = key ? context.providers.get(key.config.provider) : undefined;
    if (provider && provider.queue.size > 0 && !context.closed) pump.pump(provider);
  });
  signals.start();

  return {
    specificationVersion: 'v1',
    events,
    acquire: (demand) => admission.acquire(demand),
    headroom: (provider, regions, tier, tenantId) => signals.headroom(provider, regions, tier, tenantId),
    stats(): PoolStats {
      const now = clock.now();
      leases.sweep(now);
      let queueDepth = 0;
      for (const provider of context.providers.values()) queueDepth += provider.queue.size;
      return {
        keys: [...context.keysById.values()].map((key) => keyStats(key, now)),
        queueDepth,
        providers: [...context.providers.values()].map((provider) => signals.providerStats(provider, now)),
        storeErrors: context.storeCalls.failures,
      };
    },
    ready: () => lifecycle.ready(),
    add: (input) => lifecycle.add(input),
    retire: (keyId) => lifecycle.retire(keyId),
    rotate: (keyId, secret) => lifecycle.rotate(keyId, secret),
    enable: (keyId) => lifecycle.enable(keyId),
    async close() {
      if (context.closed) return;
      context.closed = true;
      unwatch?.();
      signals.stop();
      for (const provider of context.providers.values()) {
        if (provider.wakeTimer !== undefined) clock.clearTimeout(provider.wakeTimer);
        for (const waiter of [...provider.queue.entries()]) {
          provider.queue.remove(waiter);
          finishWaiter(context, waiter);
          waiter.reject(new ClosedError('key pool'));
        }
      }
      if (ownStore) await context.store.close?.();
    },
  };
}
