const MILLIS_PER_UNIT: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const isDigit = (code: number) => code >= 48 && code <= 57;

/**
 * Parses a Go-style duration as OpenAI sends it in `x-ratelimit-reset-*` (`6m0s`, `1s`,
 * `12ms`, `26.604s`) into milliseconds. Undefined when the text is not such a duration.
 * A hand-written scanner: it runs on every OpenAI response, twice.
 */
export function parseGoDuration(text: string | undefined | null): number | undefined {
  if (text === undefined || text === null) return undefined;
  const value = text.trim();
  if (value === '') return undefined;
  let total = 0;
  let at = 0;
  while (at < value.length) {
    const start = at;
    while (isDigit(value.charCodeAt(at))) at++;
    if (at === start) return undefined;
    if (value.charCodeAt(at) === 46 /* . */) {
      const fraction = ++at;
      while (isDigit(value.charCodeAt(at))) at++;
      if (at === fraction) return undefined;
    }
    const amount = Number(value.slice(start, at));
    const first = value[at];
    const unit =
      value[at + 1] === 's' && (first === 'm' || first === 'n' || first === 'u' || first === 'µ')
        ? `${first}s`
        : first;
    const millis = unit === undefined ? undefined : MILLIS_PER_UNIT[unit];
    if (millis === undefined) return undefined;
    total += amount * millis;
    at += unit?.length ?? 0;
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
