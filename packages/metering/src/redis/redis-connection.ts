import { createRedisConnection, type LuaScript, type RedisClientLike } from '@forge1/core/redis';

export { type LuaScript, luaScript, RedisUnavailableError } from '@forge1/core/redis';

/** The part of an ioredis client the counter store uses: core's structural `RedisClientLike`. */
export type RedisCommandClient = RedisClientLike;

/**
 * Runs scripts by EVALSHA (EVAL on NOSCRIPT) with a timeout over core's one Redis connection
 * wrapper; every failure is a `RedisUnavailableError` (code `store_unavailable`).
 */
export function createScriptRunner(
  redis: RedisCommandClient | string,
  options: { timeoutMs: number; what: string },
): { run(script: LuaScript, args: Array<string | number>): Promise<unknown>; close(): Promise<void> } {
  // ioredis is metering's optional peer, loaded only when the store is given a URL.
  const connection = createRedisConnection(redis, { ...options, driver: () => import('ioredis') });
  return { run: (script, args) => connection.script(script, args), close: () => connection.close() };
}
