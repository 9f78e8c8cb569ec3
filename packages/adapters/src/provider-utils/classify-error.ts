import type { Forge1Error, RateLimitInfo, RateLimitKind } from '@forge1/core';
import {
  categoryOfStatus,
  type ErrorScope,
  type Failure,
  type FailureCategory,
  toProviderError,
  unknownError,
} from './failure.js';
import { type HeaderSource, parseRetryAfterHeaders } from './headers.js';
import { transportError } from './transport-error.js';

/** What a provider's error reader found in an SDK error, in the provider's own terms. */
export interface ErrorFacts<Body> {
  /** The HTTP status, or the one the body implies (an error inside a stream has none). */
  status?: number;
  /** The provider's names for the error: codes, types, status names, reasons. */
  codes: readonly (string | undefined)[];
  /** The provider's message (the body's, else the SDK's). */
  message: string;
  /** The provider's error body, as its schema reads it. */
  body: Body;
  /** Response headers, where the SDK kept them. */
  headers?: HeaderSource;
  requestId?: string;
}

/**
 * One classification rule: when every condition given holds, the failure gets `category`
 * (and `kind`). Rules are tried in order; the first that matches wins, and with none the
 * status decides.
 */
export interface ErrorRule<Body> {
  /** The status is one of these. */
  status?: readonly number[];
  /** One of the provider's names for the error is one of these. */
  code?: readonly string[];
  /** The message matches. */
  message?: RegExp;
  /** The status alone would give this category. */
  statusCategory?: FailureCategory;
  category: FailureCategory;
  /** For `rate-limited`: which limit, fixed or read from the facts. @default 'unknown' */
  kind?: RateLimitKind | ((facts: ErrorFacts<Body>) => RateLimitKind);
}

/** A provider's error classification: its body schema, its rules and its retry delay. */
export interface ErrorClassification<Body> {
  /**
   * Reads an SDK error into facts; undefined when it is not an error answer of the
   * provider (it then becomes an unavailable error). `headers` are the response headers
   * captured outside the SDK, when the SDK's errors carry none.
   */
  read(error: unknown, headers: HeaderSource): ErrorFacts<Body> | undefined;
  rules: readonly ErrorRule<Body>[];
  /** The rate-limit figures of the error response's headers. */
  rateLimit?(headers: HeaderSource, now: number): RateLimitInfo | undefined;
  /** How long a rate limit (not a quota) asks to wait; `failure.rateLimit` is filled already. */
  rateLimitDelay(facts: ErrorFacts<Body>, failure: Failure, now: number): number | undefined;
}

function matches<Body>(rule: ErrorRule<Body>, facts: ErrorFacts<Body>, byStatus: FailureCategory): boolean {
  if (rule.status && (facts.status === undefined || !rule.status.includes(facts.status))) return false;
  if (rule.code && !facts.codes.some((code) => code !== undefined && rule.code?.includes(code))) return false;
  if (rule.message && !rule.message.test(facts.message)) return false;
  return rule.statusCategory === undefined || rule.statusCategory === byStatus;
}

/**
 * Turns anything an SDK throws into a core error: transport failures and aborts first, then
 * the provider's facts through its rules. A retryable rate limit gets the provider's delay; an
 * unavailable answer gets its `retry-after`. The key is scrubbed from every message.
 */
export function classifyError<Body>(
  classification: ErrorClassification<Body>,
  error: unknown,
  scope: ErrorScope,
  now: number,
  headers?: HeaderSource,
): Forge1Error {
  const transport = transportError(error, scope);
  if (transport) return transport;
  const facts = classification.read(error, headers);
  if (!facts) return unknownError(error, scope);
  const byStatus = facts.status === undefined ? 'unavailable' : categoryOfStatus(facts.status);
  const failure: Failure = { category: byStatus, message: facts.message, cause: error };
  if (facts.status !== undefined) failure.status = facts.status;
  if (facts.requestId) failure.requestId = facts.requestId;
  const rateLimit = classification.rateLimit?.(facts.headers, now);
  if (rateLimit) failure.rateLimit = rateLimit;

  const rule = classification.rules.find((candidate) => matches(candidate, facts, byStatus));
  if (rule) {
    failure.category = rule.category;
    if (rule.kind !== undefined)
      failure.kind = typeof rule.kind === 'function' ? rule.kind(facts) : rule.kind;
  }
  const delay =
    failure.category === 'rate-limited' && failure.kind !== 'quota'
      ? classification.rateLimitDelay(facts, failure, now)
      : failure.category === 'unavailable'
        ? parseRetryAfterHeaders(facts.headers, now)
        : undefined;
  if (delay !== undefined) failure.retryAfterMs = delay;
  return toProviderError(failure, scope);
}
