import type { UsageRecord } from '@forge1/core';

// Batches the meter cut from its own buffer: every record in them was validated by record() into
// an object of the meter's own (nested maps included) that nobody else holds and nothing changes,
// so the built-in sinks may take them as they are instead of checking and copying each record.
// One mark per batch, not per record: a WeakSet entry per record cost more than it saved. Batches
// read back from the journal are not marked, and their records are checked as anyone else's.
const owned = new WeakSet<readonly UsageRecord[]>();

/**
 * Makes a record the meter validated its own by copying the nested maps it may still share with
 * the caller's input. `record` must be a fresh object the caller does not hold.
 */
export function ownRecord(record: UsageRecord): UsageRecord {
  if (record.metadata) record.metadata = { ...record.metadata };
  if (record.annotations) record.annotations = { ...record.annotations };
  return record;
}

/** Marks a batch cut from the meter's buffer, of records made by {@link ownRecord}. */
export function ownBatch(batch: UsageRecord[]): UsageRecord[] {
  owned.add(batch);
  return batch;
}

/** Whether the meter cut `batch` from its buffer of its own records. */
export const isOwnedBatch = (batch: readonly UsageRecord[]): boolean => owned.has(batch);
