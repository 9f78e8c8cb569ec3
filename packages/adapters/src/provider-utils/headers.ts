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

const count = (value: string): number | undefined => {
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  const parsed = Number(trimmed);
  return Number.isFinite(parsed) && parsed >= 0 ? parsed : undefined;
};

type Field = readonly [
  header: string,
  key: keyof RateLimitInfo,
  parse: (value: string) => number | undefined,
];

// Runs on every response: a fixed table, one `get` a header (cheaper than iterating a fetch
// `Headers`, which sorts it first), and the result built only when a header is there.
function readFields(source: HeaderSource, fields: readonly Field[]): RateLimitInfo | undefined {
  if (!source) return undefined;
  const get = readHeaders(source);
  let info: RateLimitInfo | undefined;
  for (const [header, key, parse] of fields) {
    const value = get(header);
    const parsed = value === undefined ? undefined : parse(value);
    if (parsed === undefined) continue;
    info ??= {};
    info[key] = parsed;
  }
  return info;
}

const OPENAI_FIELDS: readonly Field[] = [
  ['x-ratelimit-limit-requests', 'limitRequests', count],
  ['x-ratelimit-limit-tokens', 'limitTokens', count],
  ['x-ratelimit-remaining-requests', 'remainingRequests', count],
  ['x-ratelimit-remaining-tokens', 'remainingTokens', count],
  ['x-ratelimit-reset-requests', 'resetRequestsMs', parseGoDuration],
  ['x-ratelimit-reset-tokens', 'resetTokensMs', parseGoDuration],
];

/**
 * Reads OpenAI's `x-ratelimit-{limit,remaining,reset}-{requests,tokens}` headers; resets are
 * Go-style durations (`6m0s`, `12ms`). Undefined when none is present.
 */
export function parseOpenAIRateLimit(source: HeaderSource): RateLimitInfo | undefined {
  return readFields(source, OPENAI_FIELDS);
}

const anthropicFields = (tokens: string, now: number): Field[] => {
  const reset = (value: string) => parseResetInstant(value, now);
  return [
    ['anthropic-ratelimit-requests-limit', 'limitRequests', count],
    [`anthropic-ratelimit-${tokens}-limit`, 'limitTokens', count],
    ['anthropic-ratelimit-requests-remaining', 'remainingRequests', count],
    [`anthropic-ratelimit-${tokens}-remaining`, 'remainingTokens', count],
    ['anthropic-ratelimit-requests-reset', 'resetRequestsMs', reset],
    [`anthropic-ratelimit-${tokens}-reset`, 'resetTokensMs', reset],
  ];
};

/**
 * Reads Anthropic's `anthropic-ratelimit-{requests,tokens}-{limit,remaining,reset}` headers
 * (resets are RFC 3339 instants, turned into milliseconds from `now`). When the combined
 * `tokens` family is absent, the `input-tokens` family stands in for it.
 */
export function parseAnthropicRateLimit(source: HeaderSource, now: number): RateLimitInfo | undefined {
  if (!source) return undefined;
  const tokens =
    readHeaders(source)('anthropic-ratelimit-tokens-limit') !== undefined ? 'tokens' : 'input-tokens';
  return readFields(source, anthropicFields(tokens, now));
}

/**
 * The delay a response asks for: `retry-after-ms` (milliseconds) first, then `retry-after`
 * (seconds or an HTTP date). Undefined when neither is usable.
 */
export function parseRetryAfterHeaders(source: HeaderSource, now: number): number | undefined {
  const get = readHeaders(source);
  const milliseconds = get('retry-after-ms');
  if (milliseconds !== undefined) {
    const parsed = count(milliseconds);
    if (parsed !== undefined) return parsed;
  }
  return parseRetryAfter(get('retry-after'), now);
}
