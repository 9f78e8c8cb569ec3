import { type TimeRange, type UsageGroupBy, ValidationError, type ValidationIssue } from '@forge1/core';

const groupings: readonly UsageGroupBy[] = [
  'period',
  'model',
  'provider',
  'employee',
  'user',
  'client',
  'day',
  'level',
];

/** Reads an instant given as epoch milliseconds or an ISO 8601 date. */
function instant(value: string): number | undefined {
  const parsed = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isSafeInteger(parsed) ? parsed : undefined;
}

/** What GET /v1/tenants/:id/usage asks for. */
export interface UsageQuery {
  range?: TimeRange;
  groupBy: UsageGroupBy[];
}

/**
 * Parses `from`, `to` (epoch ms or ISO 8601; `to` exclusive) and `groupBy` (comma-separated
 * dimensions, default `model`).
 * @throws ValidationError naming the bad parameter.
 */
export function parseUsageQuery(query: (name: string) => string | undefined, now: number): UsageQuery {
  const issues: ValidationIssue[] = [];
  const bound = (name: 'from' | 'to', fallback: number) => {
    const raw = query(name);
    if (raw === undefined || raw === '') return fallback;
    const value = instant(raw);
    if (value === undefined)
      issues.push({ path: name, message: 'expected epoch milliseconds or an ISO 8601 date' });
    return value ?? fallback;
  };
  const hasRange = query('from') !== undefined || query('to') !== undefined;
  const from = bound('from', 0);
  const to = bound('to', now + 1);
  if (from > to) issues.push({ path: 'from', message: 'must not be after to' });
  const groupBy = (query('groupBy') ?? 'model')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
  for (const group of groupBy) {
    if (!groupings.includes(group as UsageGroupBy)) {
      issues.push({ path: 'groupBy', message: `"${group}" is not one of ${groupings.join(', ')}` });
    }
  }
  if (issues.length > 0) throw new ValidationError('usage query', issues);
  return { ...(hasRange ? { range: { from, to } } : {}), groupBy: groupBy as UsageGroupBy[] };
}

/** Reads `period` (`YYYY-MM`), defaulting to the current one. @throws ValidationError */
export function parsePeriod(value: string | undefined, current: string): string {
  if (value === undefined || value === '') return current;
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(value)) {
    throw new ValidationError('invoice query', [{ path: 'period', message: 'expected YYYY-MM' }]);
  }
  return value;
}
