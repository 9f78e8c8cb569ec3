import type { optionalUsageKeys, Usage } from '@forge1/core';

/** The optional counts of core's `Usage`: cache writes and reasoning. */
export type UsageCounts = Partial<Record<(typeof optionalUsageKeys)[number], number | null | undefined>>;

/** The usage with each optional count that is above zero (absent means 0 in core's `Usage`). */
export function withCounts(usage: Usage, counts: UsageCounts): Usage {
  const out: Usage = { ...usage };
  for (const [key, value] of Object.entries(counts) as [keyof UsageCounts, number | null | undefined][]) {
    if (typeof value === 'number' && value > 0) out[key] = value;
  }
  return out;
}
