import { asInputError, parseUsageRecord, type UsageRecord, ValidationError } from '@forge1/core';
import { isOwnedBatch } from '../owned-records.js';

/**
 * The records of a batch handed to a sink's `write`: a batch of the meter's own records as it is
 * (it validated them), any other record checked as a usage record (a shallow copy, so a caller's getter
 * runs once). Anything else, or anything thrown while reading it, is a `validation_error` naming
 * `fn`, before the sink writes anything.
 */
export function readBatch(batch: readonly UsageRecord[], fn: string): readonly UsageRecord[] {
  try {
    if (!Array.isArray(batch)) {
      throw new ValidationError(`${fn} arguments`, [
        { path: 'batch', message: 'expected an array of usage records' },
      ]);
    }
    if (isOwnedBatch(batch)) return batch;
    // By index, not map: a hole in a sparse array is a missing record, not one to skip.
    const records: UsageRecord[] = new Array(batch.length);
    for (let index = 0; index < batch.length; index++) records[index] = parseUsageRecord(batch[index]);
    return records;
  } catch (thrown) {
    throw asInputError(thrown, fn);
  }
}
