import type { Tier, TimerHandle } from '@forge1/core';
import { isLendable } from '../keys/pool-key.js';
import type { PoolContext } from './pool-context.js';
import { meanUtilisation } from './pool-stats.js';
import type { ProviderStats } from './pool-types.js';
import { inRegions, type Reserves } from './provider-plan.js';
import type { ProviderState } from './provider-state.js';

const noReserves: readonly number[] = [];

/** What the pool tells about capacity: headroom for routing, per-provider figures, saturation events. */
export class PoolSignals {
  private timer: TimerHandle | undefined;

  private readonly context: PoolContext;
  private readonly reserves: Reserves;

  constructor(context: PoolContext, reserves: Reserves) {
    this.context = context;
    this.reserves = reserves;
  }

  /**
   * Free capacity of a provider's keys (in `regions`) now, 0..1, for a request of `tier` from
   * `tenantId`: request-limit-weighted share of each key's binding budget the request may use
   * (on shared keys less the unused reserves of the other tiers active now), 0 for keys that
   * cannot lend, other tenants' dedicated keys left out, less one request per waiter.
   */
  headroom(name: string, regions?: readonly string[], tier?: Tier, tenantId?: string): number {
    const provider = this.context.providers.get(name);
    if (!provider) return 0;
    const now = this.context.clock.now();
    const priorityClass = tier === undefined ? -1 : (this.context.tierIndex.get(tier) ?? -1);
    const reserves = priorityClass < 0 ? noReserves : this.reserves(provider, now, priorityClass);
    let capacity = 0;
    let free = 0;
    for (const key of provider.keys) {
      if (key.state === 'retired' || key.state === 'draining' || !inRegions(key, regions)) continue;
      const dedicated = key.dedicatedTo;
      if (dedicated !== null && tenantId !== undefined && !dedicated.has(tenantId)) continue;
      capacity += key.rpm;
      if (key.state !== 'active' || key.disabled || key.cooldownUntil > now) continue;
      const maxConcurrent = key.config.maxConcurrent;
      if (maxConcurrent !== undefined && key.inFlight >= maxConcurrent) continue;
      const held = dedicated === null ? reserves : noReserves;
      free += key.usage.free(now, key.rpm, key.tpm, held, priorityClass) * key.rpm;
    }
    if (capacity === 0) return 0;
    free -= provider.queue.size;
    return free <= 0 ? 0 : Math.min(1, free / capacity);
  }

  /** Figures of one provider's keys. */
  providerStats(provider: ProviderState, now: number): ProviderStats {
    return {
      provider: provider.name,
      utilisation: meanUtilisation(provider.keys, now),
      queueDepth: provider.queue.size,
      waits: provider.waits.summary(),
      cooling: provider.keys.filter((key) => key.cooldownUntil > now && key.state !== 'retired').length,
      cooldowns: provider.cooldowns,
    };
  }

  /** Starts the saturation checks, one per signal window. */
  start(): void {
    const { signals } = this.context.options;
    if (signals === false) return;
    this.timer = this.context.clock.setTimeout(() => this.check(), signals.windowMs, { background: true });
  }

  stop(): void {
    if (this.timer !== undefined) this.context.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private check(): void {
    const { context } = this;
    const { signals } = context.options;
    if (signals === false || context.closed) return;
    const { windowMs, saturatedAbove, underusedBelow } = signals;
    const now = context.clock.now();
    for (const provider of context.providers.values()) {
      if (!provider.keys.some(isLendable)) continue;
      const utilisation = meanUtilisation(provider.keys, now);
      const next =
        utilisation > saturatedAbove ? 'saturated' : utilisation < underusedBelow ? 'underused' : 'normal';
      if (next !== provider.signal && next !== 'normal') {
        context.events.emit(next === 'saturated' ? 'pool.saturated' : 'pool.underused', {
          provider: provider.name,
          utilisation,
          windowMs,
        });
      }
      provider.signal = next;
    }
    this.start();
  }
}
