import { NoCapacityError } from '@forge1/core';
import type { TakeResult } from '../store/state-store.js';
import type { PoolContext } from './pool-context.js';
import type { Waiter } from './provider-state.js';

/** A refused take. */
export type Refusal = TakeResult & { ok: false };

/** Ends a waiter's wait: its timer and abort listener go. */
export function finishWaiter(context: PoolContext, waiter: Waiter): void {
  waiter.done = true;
  if (waiter.timer !== undefined) context.clock.clearTimeout(waiter.timer);
  if (waiter.onAbort) waiter.demand.signal?.removeEventListener('abort', waiter.onAbort);
}

/** A NoCapacityError for a waiter, with the wait its last refusal advised. */
export function noCapacity(
  context: PoolContext,
  waiter: Waiter,
  message: string,
  retryable = true,
): NoCapacityError {
  const { demand } = waiter;
  const left = waiter.lastAt + waiter.lastRetryAfterMs - context.clock.now();
  return new NoCapacityError(message, {
    provider: demand.provider,
    model: demand.model,
    tenantId: demand.tenantId,
    retryable,
    ...(Number.isFinite(left) ? { retryAfterMs: Math.max(0, left) } : {}),
  });
}

/** Fails at once what no wait can serve: never (Infinity), or not before the deadline while nothing is in flight. */
const failsFast = (context: PoolContext, waiter: Waiter, result: Refusal, now: number) => {
  const { maxWaitMs } = context.options;
  return (
    now >= waiter.enqueuedAt + maxWaitMs ||
    (!result.waitsOnRelease &&
      (result.retryAfterMs === Number.POSITIVE_INFINITY ||
        (waiter.provider.inFlight === 0 && result.retryAfterMs > waiter.enqueuedAt + maxWaitMs - now)))
  );
};

/** Milliseconds until another tier goes idle and its reserve stops binding. */
const reservesEndIn = (context: PoolContext, waiter: Waiter, now: number): number => {
  let ends = Number.POSITIVE_INFINITY;
  for (let index = 0; index < context.tierPlan.length; index++) {
    if (index === waiter.tierIndex) continue;
    const idleIn = waiter.provider.lastSeen[index]! + context.options.activityWindowMs - now;
    if (idleIn > 0 && idleIn < ends) ends = idleIn;
  }
  return Math.max(1, ends);
};

/** Records a refusal; fails the waiter when no wait can help. Returns the wait to schedule, or -1 when failed. */
export function refused(
  context: PoolContext,
  waiter: Waiter,
  refusal: Refusal,
  reserves: readonly number[],
  now: number,
): number {
  let result = refusal;
  if (reserves.length > 0) {
    const ends = reservesEndIn(context, waiter, now);
    if (ends < result.retryAfterMs) result = { ...result, retryAfterMs: ends };
  }
  waiter.lastAt = result.at;
  waiter.lastRetryAfterMs = result.retryAfterMs;
  if (!failsFast(context, waiter, result, now)) return result.retryAfterMs;
  finishWaiter(context, waiter);
  const never = result.retryAfterMs === Number.POSITIVE_INFINITY && !result.waitsOnRelease;
  const provider = waiter.demand.provider;
  waiter.reject(
    noCapacity(
      context,
      waiter,
      never
        ? `No "${provider}" key can ever take this request (disabled keys, or a demand above their limits)`
        : `No "${provider}" key frees up within ${context.options.maxWaitMs} ms`,
      !never,
    ),
  );
  return -1;
}
