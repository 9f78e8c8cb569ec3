import {
  ContentPolicyError,
  ContextLengthError,
  ProviderAuthError,
  ProviderBadRequestError,
  type ProviderError,
  type ProviderErrorOptions,
  ProviderTimeoutError,
  ProviderUnavailableError,
  RateLimitedError,
  type RateLimitInfo,
  type RateLimitKind,
  redact,
  type Secret,
} from '@forge1/core';
import type { CallControl } from './call-control.js';
import { parseGoDuration } from './durations.js';

/** What an error concerns: enough to fill the fields of a core provider error. */
export interface ErrorScope {
  provider: string;
  model: string;
  keyId?: string;
  /** Scrubbed from every message. */
  apiKey?: Secret;
  /** The attempt's control, to tell a caller abort from a timeout. */
  control?: CallControl;
}

/** The scope of one attempt: provider, model, key id and the key to scrub. */
export function errorScope(
  provider: string,
  request: { model: string },
  call: { apiKey: Secret; keyId?: string },
): ErrorScope {
  return {
    provider,
    model: request.model,
    apiKey: call.apiKey,
    ...(call.keyId === undefined ? {} : { keyId: call.keyId }),
  };
}

/** Which core provider error a failure becomes. */
export type FailureCategory =
  | 'rate-limited'
  | 'auth'
  | 'context-length'
  | 'content-policy'
  | 'bad-request'
  | 'unavailable'
  | 'timeout';

/** A provider failure, classified, before it becomes a core error. */
export interface Failure {
  category: FailureCategory;
  message: string;
  status?: number;
  requestId?: string;
  rateLimit?: RateLimitInfo;
  retryAfterMs?: number;
  kind?: RateLimitKind;
  cause: unknown;
}

/** The category an HTTP status falls in when the body says nothing more specific. */
export function categoryOfStatus(status: number): FailureCategory {
  if (status === 429 || status === 529) return 'rate-limited';
  if (status === 401 || status === 403) return 'auth';
  if (status === 408 || status === 504) return 'timeout';
  if (status >= 500) return 'unavailable';
  return 'bad-request';
}

/** Builds the core {@link ProviderError} for a failure, with the key scrubbed from the message. */
export function toProviderError(failure: Failure, scope: ErrorScope): ProviderError {
  const secrets = scope.apiKey ? [scope.apiKey] : [];
  const prefix = failure.status === undefined ? scope.provider : `${scope.provider} ${failure.status}`;
  const message = redact(`${prefix}: ${failure.message}`, secrets);
  const options: ProviderErrorOptions = {
    provider: scope.provider,
    model: scope.model,
    cause: failure.cause,
    ...(scope.keyId === undefined ? {} : { keyId: scope.keyId }),
    ...(failure.status === undefined ? {} : { status: failure.status }),
    ...(failure.requestId === undefined ? {} : { requestId: failure.requestId }),
    ...(failure.rateLimit === undefined ? {} : { rateLimit: failure.rateLimit }),
    ...(failure.retryAfterMs === undefined ? {} : { retryAfterMs: failure.retryAfterMs }),
  };
  switch (failure.category) {
    case 'rate-limited':
      return new RateLimitedError(message, { ...options, kind: failure.kind ?? 'unknown' });
    case 'auth':
      return new ProviderAuthError(message, options);
    case 'context-length':
      return new ContextLengthError(message, options);
    case 'content-policy':
      return new ContentPolicyError(message, options);
    case 'bad-request':
      return new ProviderBadRequestError(message, options);
    case 'timeout':
      return new ProviderTimeoutError(message, options);
    default:
      return new ProviderUnavailableError(message, options);
  }
}

/** The message of anything thrown, following `cause` once for network errors. */
export function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause.message : undefined;
  return cause && cause !== error.message ? `${error.message} (${cause})` : error.message;
}

/**
 * Reads a retry delay written in an error message: OpenAI's "Please try again in 26.604s",
 * Gemini's "Please retry in 10.747338767s".
 */
export function retryDelayFromMessage(message: string): number | undefined {
  const match = /(?:try again|retry) in ((?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+)/i.exec(message);
  return match ? parseGoDuration(match[1]) : undefined;
}

/** Anything thrown that is neither an HTTP error nor a transport failure. */
export function unknownError(error: unknown, scope: ErrorScope): ProviderError {
  return toProviderError({ category: 'unavailable', message: messageOf(error), cause: error }, scope);
}
