// A MeterSinkV1 that publishes usage records to a Redis stream, each record id once
// (docs/guides/writing-a-storage-adapter.md).
import { type MeterSinkV1, parseWith, type UsageRecord } from '@forge1/core';
import { readSinkBatch } from '@forge1/metering';
import type { Redis } from 'ioredis';
import { z } from 'zod';

/** Options of {@link createRedisStreamSink}. */
export interface RedisStreamSinkOptions {
  /** The host's ioredis client; the sink never closes it. */
  redis: Redis;
  /** Stream the records are appended to. @default 'forge1:usage' */
  stream?: string;
  /** How long a record id is remembered to drop a second delivery. @default 604800 (7 days) */
  dedupeSeconds?: number;
  /** Sink name, for events and the meter's journal cursor. @default 'redis-stream' */
  name?: string;
}

const optionsSchema = z.object({
  redis: z.custom<Redis>(
    (value) => typeof (value as Redis | null)?.eval === 'function',
    'expected an ioredis client',
  ),
  stream: z.string().min(1).max(200).optional(),
  dedupeSeconds: z.number().int().positive().optional(),
  name: z.string().min(1).optional(),
});

// KEYS[1] stream, KEYS[2] prefix of the "seen" markers; ARGV[1] TTL, then (id, JSON) pairs.
// One script per batch: a marker and its XADD happen together or not at all.
const appendOnce = `
local added = 0
for i = 2, #ARGV, 2 do
  if redis.call('SET', KEYS[2] .. ARGV[i], '1', 'NX', 'EX', ARGV[1]) then
    redis.call('XADD', KEYS[1], '*', 'id', ARGV[i], 'record', ARGV[i + 1])
    added = added + 1
  end
end
return added
`;

/**
 * Appends each batch to a Redis stream for a billing consumer. Idempotent by record id: an id
 * already appended within `dedupeSeconds` is skipped.
 * @throws ValidationError on bad options.
 * @example
 * ```ts
 * const meter = createMeter({ sinks: [createRedisStreamSink({ redis })] });
 * ```
 */
export function createRedisStreamSink(options: RedisStreamSinkOptions): MeterSinkV1 & { stream: string } {
  const parsed = parseWith(optionsSchema, options, 'Redis stream sink options');
  const stream = parsed.stream ?? 'forge1:usage';
  const ttl = parsed.dedupeSeconds ?? 604_800;
  return {
    specificationVersion: 'v1',
    name: parsed.name ?? 'redis-stream',
    stream,
    async init() {
      await options.redis.ping(); // fail early, before the first batch, when Redis is unreachable
    },
    async write(input: readonly UsageRecord[]) {
      // A malformed batch is refused before anything is stored; the meter's own batches pass as they are.
      const batch = readSinkBatch(input, 'redis stream sink write');
      if (batch.length === 0) return;
      const pairs = batch.flatMap((record) => [record.id, JSON.stringify(record)]);
      await options.redis.eval(appendOnce, 2, stream, `${stream}:seen:`, ttl, ...pairs);
    },
    // The client belongs to the host: nothing to release here.
  };
}

/** Reads every record of the stream back, oldest first (for tests and replays). */
export async function readRedisStream(redis: Redis, stream: string): Promise<UsageRecord[]> {
  const entries = await redis.xrange(stream, '-', '+');
  return entries.map(
    ([, fields]) => JSON.parse(fields[fields.indexOf('record') + 1] ?? 'null') as UsageRecord,
  );
}
