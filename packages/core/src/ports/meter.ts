import type { UsageRecordV1 } from '../usage-record.js';

/** Records usage durably: `record()` resolves once the record cannot be lost. */
export interface MeterV1 {
  readonly specificationVersion: 'v1';
  /** @throws ValidationError on a malformed record. */
  record(record: UsageRecordV1): Promise<void>;
  /** Delivers everything recorded so far to the sinks. */
  flush(): Promise<void>;
  /** Flushes, then releases resources. Idempotent. */
  close(): Promise<void>;
}

/**
 * Where batches of usage records go. `write` must be idempotent by record id (a record
 * may be delivered more than once; it must be stored once).
 * Conformance: `@forge1/metering/testing`.
 */
export interface MeterSinkV1 {
  readonly specificationVersion: 'v1';
  /** Name for events and logs. */
  readonly name: string;
  /** Called once before the first write (migrations, connections). */
  init?(): Promise<void>;
  /** Stores a batch; resolves once it is stored. Idempotent by record id. */
  write(batch: readonly UsageRecordV1[]): Promise<void>;
  /** Releases connections and files. */
  close?(): Promise<void>;
}
