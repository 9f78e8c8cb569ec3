import type { Forge1Error, RateLimitKind } from '@forge1/core';
import {
  classifyError,
  type ErrorClassification,
  type ErrorFacts,
} from '../provider-utils/classify-error.js';
import { parseResetInstant } from '../provider-utils/durations.js';
import { type ErrorScope, messageOf } from '../provider-utils/failure.js';
import {
  type HeaderSource,
  parseAnthropicRateLimit,
  parseRetryAfterHeaders,
  readHeaders,
} from '../provider-utils/headers.js';
import { asRecord, asString } from '../provider-utils/records.js';

/** Anthropic's error body: `{"type":"error","error":{"type","message","details"},"request_id"}`. */
interface AnthropicErrorBody {
  type?: string;
  errorCode?: string;
}

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

function rateLimitKind({ body, message }: ErrorFacts<AnthropicErrorBody>): RateLimitKind {
  if (body.errorCode === 'enforced_spend_limit_reached' || SPEND.test(message)) return 'quota';
  if (/tokens per minute/i.test(message)) return 'tokens';
  if (/requests per minute/i.test(message)) return 'requests';
  return 'unknown';
}

// A token 429 may come from the input or the output token bucket: wait for the later reset.
function inputOutputReset(headers: HeaderSource, now: number): number | undefined {
  const get = readHeaders(headers);
  const resets: number[] = [];
  for (const family of ['input-tokens', 'output-tokens']) {
    if (get(`anthropic-ratelimit-${family}-remaining`) !== '0') continue;
    const reset = parseResetInstant(get(`anthropic-ratelimit-${family}-reset`), now);
    if (reset !== undefined) resets.push(reset);
  }
  return resets.length ? Math.max(...resets) : undefined;
}

const classification: ErrorClassification<AnthropicErrorBody> = {
  read(error) {
    const envelope = asRecord((error as { error?: unknown }).error);
    const inner = asRecord(envelope?.error);
    const type = asString(inner?.type) ?? asString((error as { type?: unknown }).type);
    const rawStatus = (error as { status?: unknown }).status;
    const status = typeof rawStatus === 'number' ? rawStatus : type ? STATUS_OF_TYPE[type] : undefined;
    if (status === undefined) return undefined;
    const headers = (error as { headers?: Headers }).headers;
    const requestId = readHeaders(headers)('request-id') ?? asString(envelope?.request_id);
    const errorCode = asString(asRecord(inner?.details)?.error_code);
    return {
      status,
      codes: [type],
      message: asString(inner?.message) ?? messageOf(error),
      body: { ...(type ? { type } : {}), ...(errorCode ? { errorCode } : {}) },
      headers,
      ...(requestId ? { requestId } : {}),
    };
  },
  rules: [
    { status: [529], category: 'rate-limited', kind: 'overloaded' },
    { code: ['overloaded_error'], category: 'rate-limited', kind: 'overloaded' },
    { status: [429], category: 'rate-limited', kind: rateLimitKind },
    { code: ['rate_limit_error'], category: 'rate-limited', kind: rateLimitKind },
    { status: [402], category: 'rate-limited', kind: 'quota' },
    { code: ['billing_error'], category: 'rate-limited', kind: 'quota' },
    { status: [400, 413], message: CONTEXT, category: 'context-length' },
  ],
  rateLimit: parseAnthropicRateLimit,
  rateLimitDelay(facts, failure, now) {
    const reset =
      failure.kind === 'requests'
        ? failure.rateLimit?.resetRequestsMs
        : failure.kind === 'tokens'
          ? (inputOutputReset(facts.headers, now) ?? failure.rateLimit?.resetTokensMs)
          : undefined;
    return parseRetryAfterHeaders(facts.headers, now) ?? reset;
  },
};

/**
 * Turns anything the Anthropic SDK throws into a core error: 429 `rate_limit_error`
 * (spend cap → `quota`; delay from `retry-after`, else the matching
 * `anthropic-ratelimit-*-reset`), 529 / `overloaded_error` → rate-limited `overloaded`,
 * 401/403 → auth, "prompt is too long" / "exceed context limit" → context length, 402
 * billing → rate-limited `quota`, other 4xx → bad request, 5xx → unavailable, 504 → timeout.
 */
export function normaliseAnthropicError(error: unknown, scope: ErrorScope, now: number): Forge1Error {
  return classifyError(classification, error, scope, now);
}
