import {
  AbortedError,
  ClosedError,
  Forge1Error,
  type KeyDemand,
  type Lease,
  ValidationError,
} from '@forge1/core';
import { checkDemand, readDemand } from '../keys/key-demand.js';
import type { TakeResult } from '../store/state-store.js';
import type { LeaseBook } from './lease-book.js';
import type { PoolContext } from './pool-context.js';
import { candidatesFor, noKeys, waitsForSecret } from './provider-plan.js';
import type { ProviderState, Waiter } from './provider-state.js';
import { isThenable } from './store-calls.js';
import type { WaiterPump } from './waiter-pump.js';
import { finishWaiter, noCapacity, type Refusal, refused } from './waiter-refusals.js';

const abortError = (signal: AbortSignal) =>
  Forge1Error.is(signal.reason) ? signal.reason : new AbortedError(undefined, { cause: signal.reason });

/**
 * Admission: validates a demand, takes a key at once when the queue is empty and the store has
 * room, and otherwise queues the request with its deadline and abort signal.
 */
export class Admission {
  private sequence = 0;
  private readonly agingPerMs: number;

  private readonly context: PoolContext;
  private readonly leases: LeaseBook;
  private readonly pump: WaiterPump;
  private readonly reserves: (provider: ProviderState, now: number) => readonly number[];

  constructor(
    context: PoolContext,
    leases: LeaseBook,
    pump: WaiterPump,
    reserves: (provider: ProviderState, now: number) => readonly number[],
  ) {
    this.context = context;
    this.leases = leases;
    this.pump = pump;
    this.reserves = reserves;
    this.agingPerMs = context.options.agingPerSecond / 1000;
  }

  /** A lease for the demand, now or after a wait in the provider's queue. */
  acquire(input: KeyDemand): Promise<Lease> {
    const { context } = this;
    if (context.closed) return Promise.reject(new ClosedError('key pool'));
    const demand = readDemand(input);
    if (demand instanceof ValidationError) return Promise.reject(demand);
    const invalid = checkDemand(demand, context.tierIndex);
    if (invalid) return Promise.reject(invalid);
    if (demand.signal?.aborted) return Promise.reject(abortError(demand.signal));
    const provider = context.providers.get(demand.provider);
    if (!provider) return Promise.reject(noKeys(demand));
    const candidates = candidatesFor(provider, demand);
    const pending = candidates.length === 0 && waitsForSecret(provider, demand);
    if (candidates.length === 0 && !pending) return Promise.reject(noKeys(demand));
    const index = context.tierIndex.get(demand.tier)!;
    const now = context.clock.now();
    this.leases.sweep(now);
    provider.lastSeen[index] = now;
    const leaseId = this.leases.nextId();
    if (provider.queue.size > 0 || pending)
      return this.enqueue(provider, demand, index, leaseId, now, undefined);
    const reserves = this.reserves(provider, now);
    let taken: TakeResult | Promise<TakeResult>;
    try {
      taken = context.store.take({
        candidates,
        tokens: demand.estTokens,
        priorityClass: index,
        reserves,
        leaseId,
        leaseTtlMs: context.options.leaseTtlMs,
      });
    } catch (error) {
      return Promise.reject(error);
    }
    if (isThenable(taken))
      return taken.then((result) => this.admit(provider, demand, index, leaseId, now, result, reserves));
    return this.admit(provider, demand, index, leaseId, now, taken, reserves);
  }

  private admit(
    provider: ProviderState,
    demand: KeyDemand,
    index: number,
    leaseId: string,
    now: number,
    result: TakeResult,
    reserves: readonly number[],
  ): Promise<Lease> {
    if (this.context.closed) {
      if (result.ok) this.leases.abandon(leaseId);
      return Promise.reject(new ClosedError('key pool'));
    }
    if (result.ok) return Promise.resolve(this.leases.lend(provider, demand, result.keyId, leaseId, 0, now));
    return this.enqueue(provider, demand, index, leaseId, now, { result, reserves });
  }

  private enqueue(
    provider: ProviderState,
    demand: KeyDemand,
    index: number,
    leaseId: string,
    now: number,
    first: { result: Refusal; reserves: readonly number[] } | undefined,
  ): Promise<Lease> {
    const { context } = this;
    return new Promise<Lease>((resolve, reject) => {
      const priority = context.tierPlan[index]!.priority;
      const waiter: Waiter = {
        score: priority - now * this.agingPerMs,
        sequence: this.sequence++,
        index: -1,
        demand,
        provider,
        tierIndex: index,
        priority,
        enqueuedAt: now,
        leaseId,
        timer: undefined,
        onAbort: undefined,
        resolve,
        reject,
        done: false,
        lastAt: now,
        lastRetryAfterMs: Number.POSITIVE_INFINITY,
      };
      const firstWait = first ? refused(context, waiter, first.result, first.reserves, now) : 0;
      if (firstWait < 0) return;
      provider.queue.push(waiter);
      const { maxWaitMs } = context.options;
      waiter.timer = context.clock.setTimeout(() => {
        if (waiter.done) return;
        provider.queue.remove(waiter);
        finishWaiter(context, waiter);
        reject(
          noCapacity(
            context,
            waiter,
            `No "${demand.provider}" key could take the request within ${maxWaitMs} ms`,
          ),
        );
      }, maxWaitMs);
      const signal = demand.signal;
      if (signal) {
        waiter.onAbort = () => {
          if (waiter.done) return;
          provider.queue.remove(waiter);
          finishWaiter(context, waiter);
          reject(abortError(signal));
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      if (first) this.pump.wake(provider, firstWait);
      else this.pump.pump(provider);
    });
  }
}
