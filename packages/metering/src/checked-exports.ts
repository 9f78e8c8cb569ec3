// The public, checked versions of helpers the usage store also calls internally on rows it read
// itself. The package index exports these under the helpers' own names.
import { asInputError, expectObject, parseUsageRecord, readUntrusted, type UsageRecord } from '@forge1/core';
import { rowToRecord as rowToRecordUnchecked } from './sql/usage-row.js';

/**
 * Turns a stored row (as either database returns it) back into a {@link UsageRecord}.
 * @throws ValidationError when the row is not an object or does not hold a valid usage record.
 * @example
 * ```ts
 * const record = rowToRecord(await db.selectFrom('forge1_usage').selectAll().executeTakeFirstOrThrow());
 * ```
 */
export function rowToRecord(row: Record<string, unknown>): UsageRecord {
  expectObject(row, 'rowToRecord', 'row');
  try {
    return parseUsageRecord(rowToRecordUnchecked(readUntrusted(row, 'rowToRecord row')));
  } catch (thrown) {
    throw asInputError(thrown, 'rowToRecord');
  }
}
