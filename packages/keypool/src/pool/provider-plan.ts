import { type KeyDemand, NoCapacityError } from '@forge1/core';
import { NoKeyInRegionError } from '../keys/no-key-in-region-error.js';
import { isLendable, type PoolKey, servesModel } from '../keys/pool-key.js';
import { planReserves } from '../keys/tier-reserves.js';
import type { KeyCandidate } from '../store/state-store.js';
import type { PoolContext } from './pool-context.js';
import type { Plan, ProviderState } from './provider-state.js';

/** Whether a key may serve a demand restricted to `regions`: a key without a region is in none. */
export const inRegions = (key: PoolKey, regions: readonly string[] | undefined): boolean =>
  regions === undefined || (key.config.region !== undefined && regions.includes(key.config.region));

/** Forgets a provider's plans after any change to its keys. */
export const invalidate = (provider: ProviderState): void => provider.plans.clear();

const planName = (model: string, regions: readonly string[] | undefined) =>
  regions === undefined
    ? model
    : `${model}\u0000${regions.length === 1 ? regions[0] : regions.join('\u0000')}`;

/** The keys of a provider that serve a model (in the regions): shared ones, and per tenant its dedicated ones first. */
export function planFor(provider: ProviderState, model: string, regions?: readonly string[]): Plan {
  const name = planName(model, regions);
  let plan = provider.plans.get(name);
  if (!plan) {
    const serving = provider.keys.filter(
      (key) => isLendable(key) && servesModel(key, model) && inRegions(key, regions),
    );
    const shared = serving.filter((key) => key.dedicatedTo === null).map((key) => key.candidate);
    const byTenant = new Map<string, KeyCandidate[]>();
    for (const key of serving) {
      for (const tenant of key.dedicatedTo ?? []) {
        const list = byTenant.get(tenant) ?? [];
        list.push(key.candidate);
        byTenant.set(tenant, list);
      }
    }
    for (const list of byTenant.values()) list.push(...shared);
    const pending = provider.keys.some(
      (key) => key.state === 'pending' && servesModel(key, model) && inRegions(key, regions),
    );
    plan = { shared, byTenant, pending };
    provider.plans.set(name, plan);
  }
  return plan;
}

/** The candidates of one demand, in the store's preference order. */
export function candidatesFor(provider: ProviderState, demand: KeyDemand): readonly KeyCandidate[] {
  const plan = planFor(provider, demand.model, demand.regions);
  return plan.byTenant.size === 0 ? plan.shared : (plan.byTenant.get(demand.tenantId) ?? plan.shared);
}

/** Whether a demand with no candidate now may get one once a secret resolver answers. */
export const waitsForSecret = (provider: ProviderState, demand: KeyDemand): boolean =>
  planFor(provider, demand.model, demand.regions).pending;

/** The refusal of a demand no key can ever serve. */
export const noKeys = (demand: KeyDemand): NoCapacityError =>
  demand.regions !== undefined
    ? new NoKeyInRegionError(demand, demand.regions)
    : new NoCapacityError(`No key of provider "${demand.provider}" serves model "${demand.model}"`, {
        provider: demand.provider,
        model: demand.model,
        tenantId: demand.tenantId,
        retryable: false,
      });

/** The reserves binding on a provider now; `asking` (a tier's class) counts as active too. */
export type Reserves = (provider: ProviderState, now: number, asking?: number) => readonly number[];

/** The reserves binding now, from which tiers asked for the provider within the activity window. */
export function createReserves(context: PoolContext): Reserves {
  const { tierPlan } = context;
  const { activityWindowMs } = context.options;
  const byActivity = planReserves([...tierPlan]);
  return (provider, now, asking = -1) => {
    let mask = asking < 0 ? 0 : 1 << asking;
    for (let index = 0; index < tierPlan.length; index++) {
      if (now - provider.lastSeen[index]! < activityWindowMs) mask |= 1 << index;
    }
    return byActivity[mask]!;
  };
}
