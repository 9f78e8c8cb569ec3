import { AbortedError, type Clock, ErrorCode, Forge1Error, type ProviderCall, sleep } from '@forge1/core';
import pRetry from 'p-retry';
import type { ResolvedRetry } from './resilience-options.js';

/** Whether an error may be retried on the same call (same key). */
export function isRetryable(error: unknown, call: ProviderCall): boolean {
  if (!Forge1Error.is(error) || !error.retryable) return false;
  // The breaker refused: the gateway falls back rather than hammering a sick model.
  if (error.code === ErrorCode.circuitOpen) return false;
  if (error.code === ErrorCode.rateLimited && call.retryRateLimits === false) return false;
  return true;
}

/** The wait before retry number `retry` (1-based): full jitter, at least `retryAfterMs`. */
export function backoffDelay(
  retry: number,
  retryAfterMs: number | undefined,
  settings: ResolvedRetry,
  random: () => number,
): number {
  const cap = Math.min(settings.maxDelayMs, settings.minDelayMs * 2 ** (retry - 1));
  return Math.max(random() * cap, retryAfterMs ?? 0);
}

const abortedBy = (signal: AbortSignal, cause: unknown) =>
  Forge1Error.is(signal.reason)
    ? signal.reason
    : new AbortedError(undefined, { cause: cause ?? signal.reason });

/**
 * Runs `attempt`, then on failure p-retry: only retryable errors are retried, each after a full-jitter
 * backoff (or the error's `retryAfterMs`, when longer) on the injected clock; an abort
 * stops at once.
 */
export function withRetries<T>(
  attempt: () => Promise<T>,
  call: ProviderCall,
  settings: ResolvedRetry,
  timing: { clock: Clock; random: () => number },
): Promise<T> {
  // The first try runs outside p-retry, whose setup is wasted on the calls that succeed (most);
  // its failure is handed to p-retry as the first attempt's, so what follows is p-retry's as before.
  // A plain function over the try's promise: no closure or async frame on the path that succeeds.
  let first: Promise<T>;
  try {
    first = attempt();
  } catch (error) {
    return retryAfter(error, attempt, call, settings, timing);
  }
  return Promise.resolve(first).catch((error: unknown) => retryAfter(error, attempt, call, settings, timing));
}

async function retryAfter<T>(
  firstError: unknown,
  attempt: () => Promise<T>,
  call: ProviderCall,
  settings: ResolvedRetry,
  timing: { clock: Clock; random: () => number },
): Promise<T> {
  const signal = call.signal;
  let first: { error: unknown } | undefined = { error: firstError };
  const again = () => {
    const failed = first;
    first = undefined;
    if (failed) throw failed.error;
    return attempt();
  };
  try {
    return await pRetry(again, {
      retries: settings.retries,
      // p-retry's own wait is disabled (0 ms); the wait happens below, on the injected clock.
      minTimeout: 0,
      factor: 1,
      randomize: false,
      onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
        if (signal?.aborted) throw abortedBy(signal, error);
        if (!isRetryable(error, call)) throw error;
        if (retriesLeft <= 0) return;
        const retryAfterMs = Forge1Error.is(error) ? error.retryAfterMs : undefined;
        if (retryAfterMs !== undefined && retryAfterMs > settings.maxRetryAfterMs) throw error;
        const delay = backoffDelay(attemptNumber, retryAfterMs, settings, timing.random);
        if (delay > 0) await sleep(delay, { clock: timing.clock, ...(signal ? { signal } : {}) });
      },
    });
  } catch (error) {
    if (signal?.aborted && !Forge1Error.is(error, ErrorCode.aborted)) throw abortedBy(signal, error);
    throw error;
  }
}
