import { ValidationError } from './errors.js';

// The longest delay setTimeout keeps; a longer one fires at once.
const maxTimerMs = 2_147_483_647;

/** Opaque handle of a timer set through a {@link Clock}. */
export type TimerHandle = unknown;

/** Options of {@link Clock.setTimeout}. */
export interface TimerOptions {
  /**
   * Housekeeping that nobody awaits (periodic signals, delivery loops): such a timer never
   * keeps the host process alive on its own. Timers a caller waits on (backoff, queue waits)
   * leave it unset, so that a process does not exit in the middle of a request.
   * @default false
   */
  background?: boolean;
}

/** Time source and timers, injectable so that tests run on fake time. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Calls `callback` once after `ms` milliseconds. */
  setTimeout(callback: () => void, ms: number, options?: TimerOptions): TimerHandle;
  /** Cancels a timer; unknown or fired handles are ignored. */
  clearTimeout(handle: TimerHandle): void;
}

/** The real clock: `Date.now` and the global timers (which vitest's fake timers also replace). */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms, options) => {
    const handle = setTimeout(callback, ms);
    if (options?.background) handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Resolves after `ms` on the given clock, or rejects with the signal's reason when it aborts.
 * `background: true` for waits nobody awaits on behalf of a caller (see {@link TimerOptions}).
 * Rejects with a ValidationError when `ms` is not a number from -∞ up to 2 147 483 647 (the
 * longest timer Node keeps; a longer one would fire at once) or the options cannot be read.
 */
export function sleep(
  ms: number,
  options: { clock?: Clock; signal?: AbortSignal; background?: boolean } = {},
): Promise<void> {
  if (typeof ms !== 'number' || Number.isNaN(ms) || ms > maxTimerMs) {
    return Promise.reject(
      new ValidationError('sleep arguments', [
        { path: 'ms', message: `expected a number up to ${maxTimerMs}` },
      ]),
    );
  }
  let clock: Clock;
  let signal: AbortSignal | undefined;
  let background: boolean;
  try {
    clock = options.clock ?? systemClock;
    signal = options.signal;
    background = options.background ?? false;
    if (typeof clock?.setTimeout !== 'function') throw new TypeError('clock.setTimeout is not a function');
  } catch (thrown) {
    return Promise.reject(
      new ValidationError('sleep options', [{ path: '', message: 'could not be read' }], { cause: thrown }),
    );
  }
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clock.clearTimeout(handle);
      reject(signal?.reason);
    };
    const handle = clock.setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, ms),
      { background },
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
