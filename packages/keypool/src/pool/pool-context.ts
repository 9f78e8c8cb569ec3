import type { Clock, EventBus } from '@forge1/core';
import type { ParsedPoolOptions, TierPlan } from '../keys/key-options.js';
import type { PoolKey } from '../keys/pool-key.js';
import type { StateStoreV1 } from '../store/state-store.js';
import { createProviderState, type ProviderState } from './provider-state.js';
import type { StoreCalls } from './store-calls.js';

/** What every part of one pool shares: its options, its dependencies and its records of providers and keys. */
export interface PoolContext {
  readonly options: ParsedPoolOptions;
  readonly clock: Clock;
  readonly store: StateStoreV1;
  /** The store's fire-and-forget writes, with their failures reported. */
  readonly storeCalls: StoreCalls;
  readonly events: EventBus;
  readonly random: () => number;
  readonly tierPlan: readonly TierPlan[];
  readonly tierIndex: ReadonlyMap<string, number>;
  readonly providers: Map<string, ProviderState>;
  readonly keysById: Map<string, PoolKey>;
  closed: boolean;
}

/** The provider's state, created on first use. */
export function providerState(context: PoolContext, name: string): ProviderState {
  let state = context.providers.get(name);
  if (!state) {
    state = createProviderState(name, context.tierPlan.length);
    context.providers.set(name, state);
  }
  return state;
}
