// One Redis connection for the Redis tests of a file, opened on first use, and the keys the file
// wrote under its run prefix removed after it.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll } from 'vitest';

/** The test file's Redis: `url` (unset when the tests skip), a unique `runId` prefix, `redis()`. */
export function useTestRedis(scope = ''): { url: string | undefined; runId: string; redis: () => Redis } {
  const url = process.env.FORGE1_REDIS_URL;
  const runId = `forge1test:${scope}${randomBytes(4).toString('hex')}`;
  let client: Redis | undefined;
  afterAll(async () => {
    if (!client) return;
    const keys = await client.keys(`${runId}*`);
    if (keys.length > 0) await client.del(...keys);
    client.disconnect();
  });
  return {
    url,
    runId,
    redis: () => {
      client ??= new Redis(url!);
      return client;
    },
  };
}
