// The metering conformance kit run against the Redis stream sink. Needs FORGE1_REDIS_URL.
import { runSinkConformance } from '@forge1/metering/testing';
import { Redis } from 'ioredis';
import { afterAll, describe } from 'vitest';
import { createRedisStreamSink, readRedisStream } from './redis-stream-sink.ts';

const url = process.env.FORGE1_REDIS_URL;
if (!url) console.warn('FORGE1_REDIS_URL is not set: the Redis stream sink conformance suite is skipped');

describe.skipIf(!url)('Redis stream sink', () => {
  const redis = new Redis(url ?? 'redis://127.0.0.1:6379', { lazyConnect: true });
  let run = 0;
  afterAll(() => redis.quit());

  runSinkConformance('redis stream', () => {
    const stream = `forge1:test:usage:${process.pid}:${++run}`;
    return {
      sink: createRedisStreamSink({ redis, stream }),
      stored: () => readRedisStream(redis, stream),
      dispose: async () => {
        const seen = await redis.keys(`${stream}:seen:*`);
        await redis.del(stream, ...seen);
      },
    };
  });
});
