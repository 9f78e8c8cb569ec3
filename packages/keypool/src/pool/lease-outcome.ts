import { asInputError, type Forge1Error, type RateLimitInfo, refuseArgument } from '@forge1/core';

/** What a lease's release reads from the caller's outcome, once. */
export interface ReadOutcome {
  /** Tokens the call really used (input + output), when the outcome said. */
  tokens?: number;
  rateLimit?: RateLimitInfo;
  error?: unknown;
  /** Why the outcome, or part of it, could not be used: the release still happens without it. */
  problem?: Forge1Error;
}

const refuse = (path: string, message: string) => refuseArgument('lease.release', path, message);

const rateLimitFields = [
  'limitRequests',
  'limitTokens',
  'remainingRequests',
  'remainingTokens',
  'resetRequestsMs',
  'resetTokensMs',
] as const;

const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0;

/**
 * Reads a release outcome's usage, rate-limit headers and error, each field once. A malformed
 * outcome (not an object, a count that is not a finite number ≥ 0, a getter that throws) yields
 * what could be read and a `validation_error`, so that the lease is given back either way and no
 * NaN reaches the key's usage window.
 */
export function readOutcome(outcome: unknown): ReadOutcome {
  if (outcome === undefined || outcome === null) return {};
  if (typeof outcome !== 'object') return { problem: refuse('outcome', 'expected an object') };
  const read: ReadOutcome = {};
  try {
    const { usage, rateLimit, error } = outcome as Record<string, unknown>;
    if (error !== undefined) read.error = error;
    if (usage !== undefined) {
      if (typeof usage !== 'object' || usage === null) throw refuse('outcome.usage', 'expected an object');
      const { inputTokens, outputTokens } = usage as Record<string, unknown>;
      if (!isCount(inputTokens) || !isCount(outputTokens)) {
        throw refuse('outcome.usage', 'expected inputTokens and outputTokens as finite numbers ≥ 0');
      }
      read.tokens = inputTokens + outputTokens;
    }
    // The headers of a response, or of the error that carried them; small objects, read only when present.
    const carried =
      rateLimit ??
      (typeof error === 'object' && error !== null
        ? (error as { rateLimit?: unknown }).rateLimit
        : undefined);
    if (carried !== undefined && carried !== null) {
      if (typeof carried !== 'object') throw refuse('outcome.rateLimit', 'expected an object');
      // Its six counts, each read once and checked as read: a copy the caller cannot change later.
      const info: Record<string, number> = {};
      for (const field of rateLimitFields) {
        const value = (carried as Record<string, unknown>)[field];
        if (value === undefined) continue;
        if (!isCount(value)) throw refuse(`outcome.rateLimit.${field}`, 'expected a finite number ≥ 0');
        info[field] = value;
      }
      read.rateLimit = info as RateLimitInfo;
    }
  } catch (thrown) {
    read.problem = asInputError(thrown, 'lease.release');
  }
  return read;
}
