import type { KeyCandidate, TakeResult } from '../store/state-store.js';
import type { LeaseBook } from './lease-book.js';
import type { PoolContext } from './pool-context.js';
import { candidatesFor, noKeys, waitsForSecret } from './provider-plan.js';
import type { ProviderState, Waiter } from './provider-state.js';
import { isThenable } from './store-calls.js';
import { finishWaiter, refused } from './waiter-refusals.js';

const PUMP_TRIES = 16;
const MAX_SCAN = 1024;
/** How one waiter fared in a pump run (a non-negative number: refused, passed over, wake after that long). */
const LEFT = -1;
const PASSED = -2;
const REFUSED_AND_FAILED = -3;

interface Blocked {
  readonly candidates: readonly KeyCandidate[];
  readonly tier: number;
  readonly tokens: number;
}

/** Grants queued requests when capacity may have freed: after releases, at wake times, on store signals. */
export class WaiterPump {
  private readonly context: PoolContext;
  private readonly leases: LeaseBook;
  private readonly reserves: (provider: ProviderState, now: number) => readonly number[];

  constructor(
    context: PoolContext,
    leases: LeaseBook,
    reserves: (provider: ProviderState, now: number) => readonly number[],
  ) {
    this.context = context;
    this.leases = leases;
    this.reserves = reserves;
  }

  /** Runs the provider's queue now, or once more after the run in progress. */
  pump(provider: ProviderState): void {
    if (provider.pumping) {
      provider.pumpAgain = true;
      return;
    }
    provider.pumping = true;
    const done = () => {
      provider.pumping = false;
      if (provider.pumpAgain && !this.context.closed) this.pump(provider);
    };
    this.run(provider).then(done, done);
  }

  /** Pumps the provider after `afterMs`, unless an earlier wake is already set. */
  wake(provider: ProviderState, afterMs: number): void {
    const { clock } = this.context;
    if (this.context.closed || !Number.isFinite(afterMs) || provider.queue.size === 0) return;
    const at = clock.now() + Math.max(1, Math.ceil(afterMs));
    if (provider.wakeTimer !== undefined) {
      if (provider.wakeAt <= at) return;
      clock.clearTimeout(provider.wakeTimer);
    }
    provider.wakeAt = at;
    provider.wakeTimer = clock.setTimeout(() => {
      provider.wakeTimer = undefined;
      provider.wakeAt = Number.POSITIVE_INFINITY;
      this.pump(provider);
    }, at - clock.now());
  }

  /**
   * Grants queued requests in priority order. A request that cannot fit is passed over, and so
   * is any later one of its tier that would need as much from the same keys, so that a blocked
   * request never holds up others that fit.
   */
  private async run(provider: ProviderState): Promise<void> {
    const { context } = this;
    do {
      provider.pumpAgain = false;
      let failures = 0;
      let wake = Number.POSITIVE_INFINITY;
      const passed: Waiter[] = [];
      const blocked: Blocked[] = [];
      try {
        for (
          let scanned = 0;
          provider.queue.size > 0 && failures < PUMP_TRIES && scanned < MAX_SCAN && !context.closed;
          scanned++
        ) {
          const waiter = provider.queue.pop()!;
          const served = this.serve(provider, waiter, blocked);
          const wait = typeof served === 'number' ? served : await served;
          if (wait === LEFT) continue;
          if (wait === PASSED) {
            passed.push(waiter);
            continue;
          }
          failures++;
          if (wait === REFUSED_AND_FAILED) continue;
          passed.push(waiter);
          if (wait < wake) wake = wait;
        }
      } finally {
        for (const waiter of passed) if (!waiter.done) provider.queue.push(waiter);
      }
      this.wake(provider, wake);
    } while (provider.pumpAgain && !context.closed);
  }

  /**
   * Tries one waiter: LEFT when it left the queue (granted or failed), PASSED when it was passed
   * over without asking the store, REFUSED_AND_FAILED, or the wait its refusal advised.
   */
  private serve(provider: ProviderState, waiter: Waiter, blocked: Blocked[]): number | Promise<number> {
    const { context } = this;
    const now = context.clock.now();
    const { demand } = waiter;
    const candidates = candidatesFor(provider, demand);
    if (candidates.length === 0) {
      if (waitsForSecret(provider, demand)) return PASSED;
      finishWaiter(context, waiter);
      waiter.reject(noKeys(demand));
      return LEFT;
    }
    const priorityClass = waiter.tierIndex;
    const reserves = this.reserves(provider, now);
    const tokens = demand.estTokens;
    for (const entry of blocked) {
      if (entry.candidates === candidates && entry.tier === priorityClass && entry.tokens <= tokens)
        return PASSED;
    }
    const answer = (result: TakeResult): number => {
      if (waiter.done) {
        if (result.ok) this.leases.abandon(waiter.leaseId);
        return LEFT;
      }
      if (result.ok) {
        finishWaiter(context, waiter);
        waiter.resolve(
          this.leases.lend(provider, demand, result.keyId, waiter.leaseId, now - waiter.enqueuedAt, now),
        );
        return LEFT;
      }
      const wait = refused(context, waiter, result, reserves, now);
      if (wait < 0) return REFUSED_AND_FAILED;
      blocked.push({ candidates, tier: priorityClass, tokens });
      return wait;
    };
    const failed = (error: unknown): number => {
      context.storeCalls.fail('take', undefined, error);
      if (!waiter.done) {
        finishWaiter(context, waiter);
        waiter.reject(error);
      }
      return LEFT;
    };
    try {
      const taken = context.store.take({
        candidates,
        tokens,
        priorityClass,
        reserves,
        leaseId: waiter.leaseId,
        leaseTtlMs: context.options.leaseTtlMs,
      });
      return isThenable(taken) ? taken.then(answer, failed) : answer(taken);
    } catch (error) {
      return failed(error);
    }
  }
}
