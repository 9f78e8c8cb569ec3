import { type Clock, StoreUnavailableError } from '@forge1/core';

/**
 * Settles with `work`, or rejects once `timeoutMs` pass or `signal` aborts, whichever comes
 * first; the work itself is left running (a sink call cannot be cancelled from outside).
 * A timeout is a retryable {@link StoreUnavailableError}, so the meter retries the batch and the
 * records stay in the journal until a write succeeds.
 */
export function withDeadline<T>(
  work: Promise<T>,
  options: { clock: Clock; timeoutMs: number; signal: AbortSignal; what: string },
): Promise<T> {
  const { clock, timeoutMs, signal, what } = options;
  return new Promise<T>((resolve, reject) => {
    const done = () => {
      clock.clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      done();
      reject(new StoreUnavailableError(`${what} abandoned while the meter closes`, { store: what }));
    };
    const timer = clock.setTimeout(
      () => {
        done();
        reject(new StoreUnavailableError(`${what} did not settle within ${timeoutMs} ms`, { store: what }));
      },
      timeoutMs,
      { background: true },
    );
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        done();
        resolve(value);
      },
      (error: unknown) => {
        done();
        reject(error);
      },
    );
  });
}
