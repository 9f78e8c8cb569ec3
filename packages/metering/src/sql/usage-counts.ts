/**
 * The summed counts of usage, as record field and column: totals, invoice lines and rollups
 * carry each of them. The first three and the cost were there from the start; the others came
 * with migration 0003 and are 0 on older rows.
 */
export const usageCounts = [
  ['inputTokens', 'input_tokens'],
  ['outputTokens', 'output_tokens'],
  ['cachedInputTokens', 'cached_input_tokens'],
  ['cacheWriteInputTokens', 'cache_write_input_tokens'],
  ['cacheWrite1hInputTokens', 'cache_write_1h_input_tokens'],
  ['reasoningTokens', 'reasoning_tokens'],
  ['textParts', 'text_parts'],
  ['imageParts', 'image_parts'],
  ['fileParts', 'file_parts'],
  ['costMicros', 'cost_micros'],
] as const;

/** The columns added by migration 0003 (token kinds and content parts). */
export const addedCountColumns = [
  'cache_write_input_tokens',
  'cache_write_1h_input_tokens',
  'reasoning_tokens',
  'text_parts',
  'image_parts',
  'file_parts',
] as const;

/** Every summed count of a group of usage records. */
export interface UsageCounts {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  cacheWriteInputTokens: number;
  cacheWrite1hInputTokens: number;
  reasoningTokens: number;
  textParts: number;
  imageParts: number;
  fileParts: number;
  costMicros: number;
}

/** All counts 0. */
export function zeroCounts(): UsageCounts {
  const counts = {} as UsageCounts;
  for (const [field] of usageCounts) counts[field] = 0;
  return counts;
}

/** Reads the counts of a SQL row (PostgreSQL returns bigint sums as strings). */
export function countsOfRow(row: Record<string, unknown> | undefined): UsageCounts {
  const counts = {} as UsageCounts;
  for (const [field, column] of usageCounts) counts[field] = Number(row?.[column] ?? 0);
  return counts;
}

/** Adds `from`'s counts into `into`. */
export function addCounts(into: UsageCounts, from: UsageCounts): void {
  for (const [field] of usageCounts) into[field] += from[field];
}
