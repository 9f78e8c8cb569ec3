import { type Clock, type EventBus, type MeterSinkV1, parseWith } from '@forge1/core';
import { z } from 'zod';

/** Where and how the meter journals records. */
export interface JournalOptions {
  /** Directory of the journal (created when missing); one meter per directory. */
  directory: string;
  /** Size at which the journal starts a new segment file. @default 8 MiB */
  segmentBytes?: number;
  /** Size past which a fully acknowledged segment is replaced by an empty one. @default 1 MiB */
  compactBytes?: number;
  /**
   * fsync each group commit. Turning it off keeps records safe from a crashed process but not
   * from a crashed machine. @default true
   */
  sync?: boolean;
}

/** Retry schedule of a sink that fails: exponential backoff with jitter. */
export interface SinkRetryOptions {
  /** First delay. @default 100 */
  initialDelayMs?: number;
  /** Longest delay. @default 30 000 */
  maxDelayMs?: number;
}

/** Options of {@link createMeter}. */
export interface MeterOptions {
  /** Where batches go; each is wrapped with core's `wrapSink`. Names must be unique. */
  sinks: readonly MeterSinkV1[];
  /**
   * The journal: a directory, journal options, or `false` for memory only (NOT crash-safe:
   * records not yet delivered are lost with the process, and `record()` rejects once
   * `maxBuffered` records wait for a slow sink).
   * @default '.forge1/metering-journal' (relative to the working directory)
   */
  journal?: string | JournalOptions | false;
  /** Records per sink write. @default 500 */
  batchSize?: number;
  /** Longest time a record waits for its batch to fill. @default 1000 */
  flushIntervalMs?: number;
  /** Records kept in memory for delivery; older ones are read back from the journal. @default 10 000 */
  maxBuffered?: number;
  /** How long `flush()` and `close()` wait for a failing sink. @default 30 000 */
  drainTimeoutMs?: number;
  /**
   * Longest wait for one sink `write()` (and its `close()`): a write that has not settled by then
   * counts as failed and is retried, its records staying in the journal. @default 30 000
   */
  writeTimeoutMs?: number;
  retry?: SinkRetryOptions;
  clock?: Clock;
  /** Receives `sink.error`. */
  events?: EventBus;
  /** Uniform random in [0, 1), for backoff jitter. @default Math.random */
  random?: () => number;
}

const positive = z.number().int().positive();

const schema = z
  .object({
    sinks: z
      .array(z.custom<MeterSinkV1>((value) => typeof value === 'object' && value !== null, 'expected a sink'))
      .min(1)
      .refine(
        (sinks) => new Set(sinks.map((sink) => sink.name)).size === sinks.length,
        'sink names must be unique',
      ),
    journal: z
      .union([
        z.literal(false),
        z.string().min(1),
        z
          .object({
            directory: z.string().min(1),
            segmentBytes: positive.optional(),
            compactBytes: positive.optional(),
            sync: z.boolean().optional(),
          })
          .strict(),
      ])
      .optional(),
    batchSize: positive.max(100_000).optional(),
    flushIntervalMs: positive.optional(),
    maxBuffered: positive.optional(),
    drainTimeoutMs: positive.optional(),
    writeTimeoutMs: positive.optional(),
    retry: z
      .object({ initialDelayMs: positive.optional(), maxDelayMs: positive.optional() })
      .strict()
      .optional(),
    clock: z.custom<Clock>().optional(),
    events: z.custom<EventBus>().optional(),
    random: z.custom<() => number>((value) => typeof value === 'function').optional(),
  })
  .strict();

/** Validates meter options. @throws ValidationError naming the bad field. */
export function parseMeterOptions(options: unknown): MeterOptions {
  return parseWith(schema, options, 'meter options') as MeterOptions;
}
