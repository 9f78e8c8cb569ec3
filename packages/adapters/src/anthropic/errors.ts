import type { Forge1Error, RateLimitKind } from '@forge1/core';
import { parseResetInstant } from '../shared/durations.js';
import { parseAnthropicRateLimit, parseRetryAfterHeaders, readHeaders } from '../shared/headers.js';
import {
  asRecord,
  asString,
  categoryOfStatus,
  type ErrorScope,
  type Failure,
  messageOf,
  toProviderError,
  transportError,
  unknownError,
} from '../shared/provider-errors.js';

// The status each documented error type comes with, for errors that arrive inside a stream.
const STATUS_OF_TYPE: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

const CONTEXT = /prompt is too long|exceed context limit|context window|too many tokens/i;
const SPEND = /usage limits|spend limit|credit balance/i;

function rateLimitKind(message: string, errorCode: string | undefined): RateLimitKind {
  if (errorCode === 'enforced_spend_limit_reached' || SPEND.test(message)) return 'quota';
  if (/tokens per minute/i.test(message)) return 'tokens';
  if (/requests per minute/i.test(message)) return 'requests';
  return 'unknown';
}

/**
 * Turns anything the Anthropic SDK throws into a core error: 429 `rate_limit_error`
 * (spend cap → `quota`; delay from `retry-after`, else the matching
 * `anthropic-ratelimit-*-reset`), 529 / `overloaded_error` → rate-limited `overloaded`,
 * 401/403 → auth, "prompt is too long" / "exceed context limit" → context length, 402
 * billing → rate-limited `quota`, other 4xx → bad request, 5xx → unavailable, 504 → timeout.
 */
export function normaliseAnthropicError(error: unknown, scope: ErrorScope, now: number): Forge1Error {
  const transport = transportError(error, scope);
  if (transport) return transport;
  const envelope = asRecord((error as { error?: unknown }).error);
  const inner = asRecord(envelope?.error);
  const type = asString(inner?.type) ?? asString((error as { type?: unknown }).type);
  const rawStatus = (error as { status?: unknown }).status;
  const status = typeof rawStatus === 'number' ? rawStatus : type ? STATUS_OF_TYPE[type] : undefined;
  if (status === undefined) return unknownError(error, scope);
  const message = asString(inner?.message) ?? messageOf(error);
  const headers = (error as { headers?: Headers }).headers;
  const errorCode = asString(asRecord(inner?.details)?.error_code);
  const failure: Failure = { category: categoryOfStatus(status), message, status, cause: error };
  const requestId = readHeaders(headers)('request-id') ?? asString(envelope?.request_id);
  if (requestId) failure.requestId = requestId;
  const rateLimit = parseAnthropicRateLimit(headers, now);
  if (rateLimit) failure.rateLimit = rateLimit;

  if (status === 529 || type === 'overloaded_error') {
    failure.category = 'rate-limited';
    failure.kind = 'overloaded';
  } else if (status === 429 || type === 'rate_limit_error') {
    failure.category = 'rate-limited';
    failure.kind = rateLimitKind(message, errorCode);
  } else if (status === 402 || type === 'billing_error') {
    failure.category = 'rate-limited';
    failure.kind = 'quota';
  } else if ((status === 400 || status === 413) && CONTEXT.test(message)) {
    failure.category = 'context-length';
  }

  if (failure.category === 'rate-limited' && failure.kind !== 'quota') {
    const reset =
      failure.kind === 'requests'
        ? rateLimit?.resetRequestsMs
        : failure.kind === 'tokens'
          ? (parseInputOutputReset(headers, now) ?? rateLimit?.resetTokensMs)
          : undefined;
    const delay = parseRetryAfterHeaders(headers, now) ?? reset;
    if (delay !== undefined) failure.retryAfterMs = delay;
  } else if (failure.category === 'unavailable') {
    const delay = parseRetryAfterHeaders(headers, now);
    if (delay !== undefined) failure.retryAfterMs = delay;
  }
  return toProviderError(failure, scope);
}

// A token 429 may come from the input or the output token bucket: wait for the later reset.
function parseInputOutputReset(headers: Headers | undefined, now: number): number | undefined {
  const get = readHeaders(headers);
  const resets: number[] = [];
  for (const family of ['input-tokens', 'output-tokens']) {
    if (get(`anthropic-ratelimit-${family}-remaining`) !== '0') continue;
    const reset = parseResetInstant(get(`anthropic-ratelimit-${family}-reset`), now);
    if (reset !== undefined) resets.push(reset);
  }
  return resets.length ? Math.max(...resets) : undefined;
}
