import type { RateLimitInfo } from '@forge1/core';
import { parseGoDuration, parseResetInstant, parseRetryAfter } from './durations.js';

/** Response headers as the SDKs expose them: a fetch `Headers` or a plain record. */
export type HeaderSource = Headers | Record<string, string | string[] | undefined> | undefined | null;

/** A case-insensitive header reader over any {@link HeaderSource}. */
export type HeaderReader = (name: string) => string | undefined;

/** Builds a {@link HeaderReader}; header names are matched case-insensitively. */
export function readHeaders(source: HeaderSource): HeaderReader {
  if (!source) return () => undefined;
  if (typeof (source as Headers).get === 'function') {
    const headers = source as Headers;
    return (name) => headers.get(name) ?? undefined;
  }
  const lower = new Map<string, string>();
  for (const [key, value] of Object.entries(source as Record<string, string | string[] | undefined>)) {
    if (value === undefined) continue;
    lower.set(key.toLowerCase(), Array.isArray(value) ? value.join(', ') : value);
  }
  return (name) => lower.get(name.toLowerCase());
}

const count = (value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  const parsed = Number(value.trim());
  return value.trim() !== '' && Number.isFinite(parsed) && parsed >= 0 ? parsed : undefined;
};

function compact(info: RateLimitInfo): RateLimitInfo | undefined {
  const entries = Object.entries(info).filter(([, value]) => value !== undefined);
  return entries.length ? (Object.fromEntries(entries) as RateLimitInfo) : undefined;
}

/**
 * Reads OpenAI's `x-ratelimit-{limit,remaining,reset}-{requests,tokens}` headers; resets are
 * Go-style durations (`6m0s`, `12ms`). Undefined when none is present.
 */
export function parseOpenAIRateLimit(source: HeaderSource): RateLimitInfo | undefined {
  const get = readHeaders(source);
  return compact({
    limitRequests: count(get('x-ratelimit-limit-requests')),
    limitTokens: count(get('x-ratelimit-limit-tokens')),
    remainingRequests: count(get('x-ratelimit-remaining-requests')),
    remainingTokens: count(get('x-ratelimit-remaining-tokens')),
    resetRequestsMs: parseGoDuration(get('x-ratelimit-reset-requests')),
    resetTokensMs: parseGoDuration(get('x-ratelimit-reset-tokens')),
  });
}

/**
 * Reads Anthropic's `anthropic-ratelimit-{requests,tokens}-{limit,remaining,reset}` headers
 * (resets are RFC 3339 instants, turned into milliseconds from `now`). When the combined
 * `tokens` family is absent, the `input-tokens` family stands in for it.
 */
export function parseAnthropicRateLimit(source: HeaderSource, now: number): RateLimitInfo | undefined {
  const get = readHeaders(source);
  const tokens = get('anthropic-ratelimit-tokens-limit') !== undefined ? 'tokens' : 'input-tokens';
  return compact({
    limitRequests: count(get('anthropic-ratelimit-requests-limit')),
    limitTokens: count(get(`anthropic-ratelimit-${tokens}-limit`)),
    remainingRequests: count(get('anthropic-ratelimit-requests-remaining')),
    remainingTokens: count(get(`anthropic-ratelimit-${tokens}-remaining`)),
    resetRequestsMs: parseResetInstant(get('anthropic-ratelimit-requests-reset'), now),
    resetTokensMs: parseResetInstant(get(`anthropic-ratelimit-${tokens}-reset`), now),
  });
}

/**
 * The delay a response asks for: `retry-after-ms` (milliseconds) first, then `retry-after`
 * (seconds or an HTTP date). Undefined when neither is usable.
 */
export function parseRetryAfterHeaders(source: HeaderSource, now: number): number | undefined {
  const get = readHeaders(source);
  const milliseconds = get('retry-after-ms');
  if (milliseconds !== undefined) {
    const parsed = Number(milliseconds.trim());
    if (milliseconds.trim() !== '' && Number.isFinite(parsed) && parsed >= 0) return parsed;
  }
  return parseRetryAfter(get('retry-after'), now);
}
