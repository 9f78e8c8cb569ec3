import { randomBytes } from 'node:crypto';
import type { KeyDemand, Lease, RateLimitInfo } from '@forge1/core';
import type { PoolKey } from '../keys/pool-key.js';
import type { SettleRequest } from '../store/state-store.js';
import type { KeyHealth } from './key-health.js';
import { type ReadOutcome, readOutcome } from './lease-outcome.js';
import type { PoolContext } from './pool-context.js';
import type { ProviderState } from './provider-state.js';

const throwProblem = (problem: Error): never => {
  throw problem;
};

interface LeaseState {
  readonly key: PoolKey;
  readonly provider: ProviderState;
  readonly expiresAt: number;
  readonly tokens: number;
  /** The tier's priority class, which the key's usage meter counts the lease under. */
  readonly priorityClass: number;
}

type Remaining = { requests?: number; tokens?: number };

const settleRequest = (
  leaseId: string,
  tokens: number | undefined,
  rateLimit: RateLimitInfo | undefined,
): SettleRequest => {
  const request: { leaseId: string; tokens?: number; remaining?: Remaining } = { leaseId };
  if (tokens !== undefined) request.tokens = tokens;
  if (rateLimit && (rateLimit.remainingRequests !== undefined || rateLimit.remainingTokens !== undefined)) {
    const remaining: Remaining = {};
    if (rateLimit.remainingRequests !== undefined) remaining.requests = rateLimit.remainingRequests;
    if (rateLimit.remainingTokens !== undefined) remaining.tokens = rateLimit.remainingTokens;
    request.remaining = remaining;
  }
  return request;
};

/**
 * The leases this process has lent: ids, in-flight counts, local usage, expiry, and the release
 * path that reconciles the store and tells key health how the call went.
 */
export class LeaseBook {
  private readonly leases = new Map<string, LeaseState>();
  private readonly prefix = `${randomBytes(4).toString('hex')}-`;
  private count = 0;
  private nextSweep = Number.POSITIVE_INFINITY;

  private readonly context: PoolContext;
  private readonly health: KeyHealth;
  /** Called once the store has a release, when the provider has waiters. */
  private readonly freed: (provider: ProviderState) => void;

  constructor(context: PoolContext, health: KeyHealth, freed: (provider: ProviderState) => void) {
    this.context = context;
    this.health = health;
    this.freed = freed;
  }

  /** A new lease id, unique across processes sharing a store. */
  nextId(): string {
    return this.prefix + (++this.count).toString(36);
  }

  /** Records a granted lease and hands out its key. */
  lend(
    provider: ProviderState,
    demand: KeyDemand,
    keyId: string,
    leaseId: string,
    waitedMs: number,
    now: number,
  ): Lease {
    const key = this.context.keysById.get(keyId)!;
    key.inFlight++;
    key.requests++;
    provider.inFlight++;
    const priorityClass = this.context.tierIndex.get(demand.tier) ?? 0;
    key.usage.add(now, 1, demand.estTokens, priorityClass);
    provider.waits.add(waitedMs);
    const state: LeaseState = {
      key,
      provider,
      expiresAt: now + this.context.options.leaseTtlMs,
      tokens: demand.estTokens,
      priorityClass,
    };
    this.leases.set(leaseId, state);
    if (state.expiresAt < this.nextSweep) this.nextSweep = state.expiresAt;
    const generation = key.generation;
    let released = false;
    return {
      keyId,
      provider: provider.name,
      secret: key.secret!,
      release: (outcome) => {
        if (released) return undefined;
        released = true;
        const read = readOutcome(outcome);
        const settled = this.settle(leaseId, state, generation, read);
        if (!read.problem) return settled;
        // The lease is back either way; a malformed outcome is refused once that is done.
        return settled === undefined
          ? throwProblem(read.problem)
          : settled.then(() => throwProblem(read.problem!));
      },
    };
  }

  /** Gives back to the store a lease granted for a request that no longer wants it. */
  abandon(leaseId: string): void {
    this.context.storeCalls.run('settle', undefined, () => this.context.store.settle({ leaseId, tokens: 0 }));
  }

  /** Forgets leases past their TTL, freeing their in-flight slots. */
  sweep(now: number): void {
    if (now < this.nextSweep) return;
    this.nextSweep = Number.POSITIVE_INFINITY;
    for (const [leaseId, state] of this.leases) {
      if (state.expiresAt <= now) this.drop(leaseId, state);
      else if (state.expiresAt < this.nextSweep) this.nextSweep = state.expiresAt;
    }
  }

  /** Marks a draining key retired once nothing is in flight on it. */
  finishRetire(key: PoolKey): void {
    if (key.state !== 'draining' || key.inFlight > 0) return;
    key.state = 'retired';
    for (const resolve of key.drained.splice(0)) resolve();
  }

  private drop(leaseId: string, state: LeaseState): boolean {
    if (!this.leases.delete(leaseId)) return false;
    state.key.inFlight--;
    state.provider.inFlight--;
    this.finishRetire(state.key);
    return true;
  }

  private settle(
    leaseId: string,
    state: LeaseState,
    generation: number,
    outcome: ReadOutcome,
  ): Promise<void> | undefined {
    const { key, provider } = state;
    const { clock, store, storeCalls } = this.context;
    this.drop(leaseId, state);
    const { tokens, rateLimit } = outcome;
    if (tokens !== undefined) key.usage.add(clock.now(), 0, tokens - state.tokens, state.priorityClass);
    if (rateLimit) this.health.learn(key, provider, rateLimit);
    const request = settleRequest(leaseId, tokens, rateLimit);
    const settled = storeCalls.run('settle', key.config.id, () => store.settle(request));
    this.health.onOutcome(key, provider, generation, outcome.error);
    if (settled === undefined) {
      this.wakeAfterRelease(provider);
      return undefined;
    }
    return settled.then(() => this.wakeAfterRelease(provider));
  }

  private wakeAfterRelease(provider: ProviderState): void {
    if (provider.queue.size > 0 && !this.context.closed) this.freed(provider);
  }
}
