/**
 * A duration written the way Go's `time.Duration.String()` does, as OpenAI's
 * `x-ratelimit-reset-*` headers and "Please try again in …" messages use it:
 * `12ms`, `1s`, `26.604s`, `6m0s`, `1h2m3s`. Sub-millisecond values round up to `1ms`.
 */
export function formatGoDuration(ms: number): string {
  const total = Math.max(0, Math.ceil(ms));
  if (total === 0) return '0s';
  if (total < 1000) return `${total}ms`;
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const seconds = (total % 60_000) / 1000;
  const secondsText = `${Number(seconds.toFixed(3))}s`;
  if (hours > 0) return `${hours}h${minutes}m${secondsText}`;
  if (minutes > 0) return `${minutes}m${secondsText}`;
  return secondsText;
}

/** An RFC 3339 UTC instant without fractional seconds, as Anthropic's reset headers send. */
export function formatRfc3339(epochMs: number): string {
  return `${new Date(Math.ceil(epochMs / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}
