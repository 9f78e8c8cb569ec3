import { ErrorCode, type EventBus, Forge1Error } from '@forge1/core';
import type { Awaitable } from '../store/state-store.js';

/** Whether a store answered with a promise (remote stores) rather than a value (the memory store). */
export const isThenable = <T>(value: Awaitable<T>): value is Promise<T> =>
  typeof (value as { then?: unknown } | null)?.then === 'function';

/**
 * Store calls the pool carries on without: settles, cooldowns, flags. A failure is counted and
 * reported as `store.error` instead of being lost; the store's lease expiry frees what a failed
 * settle would have freed.
 */
export class StoreCalls {
  /** Store operations that failed since the pool started. */
  failures = 0;

  private readonly events: EventBus;

  constructor(events: EventBus) {
    this.events = events;
  }

  /**
   * Calls the store and then `next` with its answer; on failure reports it and skips `next`.
   * Returns a promise (that never rejects) only when the store answered asynchronously.
   */
  run<T>(
    operation: string,
    keyId: string | undefined,
    call: () => Awaitable<T>,
    next?: (value: T) => void,
  ): Promise<void> | undefined {
    let value: Awaitable<T>;
    try {
      value = call();
    } catch (error) {
      this.fail(operation, keyId, error);
      return undefined;
    }
    if (!isThenable(value)) {
      next?.(value);
      return undefined;
    }
    return value.then(
      (resolved) => next?.(resolved),
      (error: unknown) => this.fail(operation, keyId, error),
    );
  }

  /** Counts and reports one failed store operation. */
  fail(operation: string, keyId: string | undefined, error: unknown): void {
    this.failures++;
    this.events.emit('store.error', {
      store: 'keypool',
      operation,
      ...(keyId === undefined ? {} : { keyId }),
      errorCode: Forge1Error.is(error) ? error.code : ErrorCode.internal,
      message: error instanceof Error ? error.message : String(error),
    });
  }
}
