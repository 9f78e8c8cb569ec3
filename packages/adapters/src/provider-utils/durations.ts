const GO_UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const GO_DURATION = /^(?:(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h))+$/;
const GO_PART = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g;

/**
 * Parses a Go-style duration as OpenAI sends it in `x-ratelimit-reset-*` (`6m0s`, `1s`,
 * `12ms`, `26.604s`) into milliseconds. Undefined when the text is not such a duration.
 */
export function parseGoDuration(text: string | undefined | null): number | undefined {
  if (text === undefined || text === null) return undefined;
  const trimmed = text.trim();
  if (!GO_DURATION.test(trimmed)) return undefined;
  let total = 0;
  for (const match of trimmed.matchAll(GO_PART)) {
    total += Number(match[1]) * (GO_UNITS[match[2] ?? ''] ?? 0);
  }
  return Number.isFinite(total) ? total : undefined;
}

/**
 * Parses a protobuf Duration in its JSON form (`"34s"`, `"10.747338767s"`), as Gemini sends
 * in `RetryInfo.retryDelay`, into milliseconds.
 */
export function parseProtoDuration(text: string | undefined | null): number | undefined {
  if (typeof text !== 'string') return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)s\s*$/.exec(text);
  return match ? Number(match[1]) * 1000 : undefined;
}

/**
 * Parses a `Retry-After` value: delay seconds (`56`, `1.5`) or an HTTP date, relative to `now`.
 * Negative delays become 0.
 */
export function parseRetryAfter(value: string | undefined | null, now: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Parses an RFC 3339 instant (Anthropic's `*-reset` headers) into milliseconds from `now`. */
export function parseResetInstant(value: string | undefined | null, now: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  const trimmed = value.trim();
  if (!/^\d{4}-\d{2}-\d{2}T/.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
