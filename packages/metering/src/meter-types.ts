import type { MeterV1 } from '@forge1/core';

/** Delivery figures of one sink. */
export interface SinkStats {
  name: string;
  /** Sequence number of the next record this sink has not acknowledged. */
  cursor: number;
  /** Records recorded but not yet acknowledged by this sink. */
  lag: number;
  /** Consecutive failed writes (0 when healthy). */
  failures: number;
}

/** A snapshot of the meter's state, for health checks and tests. */
export interface MeterStats {
  /** Sequence number of the next record: every record below it is durable (or accepted, without a journal). */
  committed: number;
  /** Records held in memory. Never above `maxBuffered`. */
  buffered: number;
  /** Bytes in the journal's segment files (0 without a journal). */
  journalBytes: number;
  sinks: SinkStats[];
}

/** The batching meter: core's {@link MeterV1} plus stats. */
export interface Meter extends MeterV1 {
  /** Resolves once the journal is open and replay has started. @throws Forge1Error when it cannot be opened. */
  ready(): Promise<void>;
  stats(): MeterStats;
}
