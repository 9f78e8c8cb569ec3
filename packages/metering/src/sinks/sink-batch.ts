import { asInputError, parseUsageRecord, type UsageRecord, ValidationError } from '@forge1/core';
import { isOwnedRecord } from '../owned-records.js';

/**
 * The records of a batch handed to a sink's `write`: the meter's own records as they are (it
 * validated them), any other checked as a usage record (a shallow copy, so a caller's getter
 * runs once). Anything else, or anything thrown while reading it, is a `validation_error` naming
 * `fn`, before the sink writes anything.
 */
export function readBatch(batch: readonly UsageRecord[], fn: string): UsageRecord[] {
  try {
    if (!Array.isArray(batch)) {
      throw new ValidationError(`${fn} arguments`, [
        { path: 'batch', message: 'expected an array of usage records' },
      ]);
    }
    return batch.map((record) => (isOwnedRecord(record) ? record : parseUsageRecord(record)));
  } catch (thrown) {
    throw asInputError(thrown, fn);
  }
}
