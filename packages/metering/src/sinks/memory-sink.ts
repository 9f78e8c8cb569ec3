import type { MeterSinkV1, UsageRecord } from '@forge1/core';
import { checkFactoryOptions } from '../factory-options.js';
import { isOwnedBatch } from '../owned-records.js';
import { readBatch } from './sink-batch.js';

/** A sink that keeps records in memory, once per id. For tests and small hosts. */
export interface MemorySink extends MeterSinkV1 {
  /** Stored records in arrival order. */
  records(): UsageRecord[];
  /** Number of stored records. */
  readonly size: number;
  /** Number of `write` calls that succeeded. */
  readonly writes: number;
}

/** Options of {@link createMemorySink}. */
export interface MemorySinkOptions {
  /** @default 'memory' */
  name?: string;
}

/**
 * Creates a {@link MemorySink}; a record id seen before is ignored.
 * @example
 * ```ts
 * const sink = createMemorySink();
 * const meter = createMeter({ sinks: [sink], journal: false });
 * ```
 */
export function createMemorySink(input?: MemorySinkOptions): MemorySink {
  const options = checkFactoryOptions('memorySink', input, 'memory sink options');
  const stored = new Map<string, UsageRecord>();
  let writes = 0;
  return {
    specificationVersion: 'v1',
    name: options.name ?? 'memory',
    async write(batch) {
      // Reads hand out copies; the meter's own records are never changed, so they are kept as they are.
      const owned = isOwnedBatch(batch);
      for (const record of readBatch(batch, 'memorySink.write')) {
        if (stored.has(record.id)) continue;
        stored.set(record.id, owned ? record : structuredClone(record));
      }
      writes += 1;
    },
    records: () => [...stored.values()].map((record) => structuredClone(record)),
    get size() {
      return stored.size;
    },
    get writes() {
      return writes;
    },
  };
}
