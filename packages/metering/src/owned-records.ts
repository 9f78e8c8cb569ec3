import type { UsageRecord } from '@forge1/core';

// Records the meter validated into objects of its own: nobody else holds them (nested maps
// included) and the meter never changes them, so the memory sink may keep them as they are
// instead of cloning each one on write. Records from anywhere else are cloned as before.
const owned = new WeakSet<UsageRecord>();

/**
 * Marks a record the meter built by validation as its own, after copying the nested maps it may
 * still share with the caller's input. `record` must be a fresh object the caller does not hold.
 */
export function ownRecord(record: UsageRecord): UsageRecord {
  if (record.metadata) record.metadata = { ...record.metadata };
  if (record.annotations) record.annotations = { ...record.annotations };
  owned.add(record);
  return record;
}

/** Whether the meter built `record` and nothing else holds or changes it. */
export const isOwnedRecord = (record: UsageRecord): boolean => owned.has(record);
