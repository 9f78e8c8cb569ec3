import { billingPeriod } from '@forge1/core';

/** The UTC day (`YYYY-MM-DD`) of a timestamp and the epoch ms it ends. */
export function utcDay(timestamp: number): { day: string; start: number; end: number } {
  const date = new Date(timestamp);
  const start = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  return { day: new Date(start).toISOString().slice(0, 10), start, end: start + 86_400_000 };
}

/** The billing period (`YYYY-MM`, UTC) of a timestamp and the epoch ms it starts and ends. */
export function utcPeriod(timestamp: number): { period: string; start: number; end: number } {
  const date = new Date(timestamp);
  return {
    period: billingPeriod(timestamp),
    start: Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1),
    end: Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1),
  };
}
