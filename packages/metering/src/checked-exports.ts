// The public, checked versions of helpers the usage store also calls internally on rows it read
// itself. The package index exports these under the helpers' own names.
import {
  asInputError,
  expectObject,
  expectString,
  parseUsageRecord,
  readUntrusted,
  type UsageRecord,
} from '@forge1/core';
import { readBatch } from './sinks/sink-batch.js';
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

/**
 * The records of a batch a sink's `write` was handed, checked: a batch the meter cut from its own
 * buffer passes as it is (the meter validated it); anything else is read as usage records, once each.
 * A sink of your own calls it first, as the built-in sinks do, so that a malformed batch is refused
 * before anything is stored (`runSinkConformance` checks this).
 * @param sinkName The name errors give the refusing call. @default 'sink.write'
 * @throws ValidationError when the batch is not an array of valid usage records, or reading it threw.
 * @example
 * ```ts
 * async write(batch) {
 *   for (const record of readSinkBatch(batch, 'my sink write')) await store(record);
 * }
 * ```
 */
export function readSinkBatch(
  batch: readonly UsageRecord[],
  sinkName = 'sink.write',
): readonly UsageRecord[] {
  expectString(sinkName, 'readSinkBatch', 'sinkName');
  return readBatch(batch, sinkName);
}
