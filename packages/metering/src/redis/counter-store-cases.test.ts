import { createMemoryCounterStore } from '@forge1/metering';
import { createRedisCounterStore } from '@forge1/metering/redis';
import { Redis } from 'ioredis';
import { afterAll, describe } from 'vitest';
import { runCounterStoreCases } from './counter-store-cases.js';

const url = process.env.FORGE1_REDIS_URL;
if (!url) console.warn('FORGE1_REDIS_URL is unset: the Redis counter store runs no cases');
const prefix = `forge1test:counters:${process.pid}:${Date.now().toString(36)}:`;
let client: Redis | undefined;

afterAll(async () => {
  if (!client) return;
  const keys = await client.keys(`${prefix}*`);
  if (keys.length > 0) await client.del(...keys);
  client.disconnect();
});

runCounterStoreCases('memory', () => createMemoryCounterStore());

describe.skipIf(!url)('Redis counter store (FORGE1_REDIS_URL)', () => {
  runCounterStoreCases('redis', () => {
    client ??= new Redis(url!);
    return createRedisCounterStore({ redis: client, prefix });
  });
});
