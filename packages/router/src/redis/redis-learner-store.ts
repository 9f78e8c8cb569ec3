import { expectString, parseWith } from '@forge1/core';
import { createRedisConnection, luaScript } from '@forge1/core/redis';
import { z } from 'zod';
import { readIncrements } from '../checked-learner.js';
import type { LearnerStore } from '../learn/learner-store.js';

/**
 * The part of an ioredis client the learner store uses, typed structurally: pass your own
 * `new Redis(...)` or anything with the same method.
 */
export interface RedisLearnerClient {
  /** Sends one command: `call('HGETALL', [key])`. */
  call(command: string, args: Array<string | number>): Promise<unknown>;
}

/** Options of {@link createRedisLearnerStore}. */
export interface RedisLearnerStoreOptions {
  /** A connected ioredis client (or anything with `call`). */
  client: RedisLearnerClient;
  /** Prefix of the keys, one hash per tenant. @default 'forge1:router:learner:' */
  keyPrefix?: string;
  /** A command that takes longer fails with a RedisUnavailableError. @default 1000 */
  commandTimeoutMs?: number;
}

const schema = z
  .object({
    client: z.custom<RedisLearnerClient>(
      (value) =>
        typeof value === 'object' &&
        value !== null &&
        typeof (value as RedisLearnerClient).call === 'function',
      'expected an ioredis client',
    ),
    keyPrefix: z
      .string()
      .regex(
        /^[A-Za-z0-9_.:{}-]{0,100}$/,
        'expected up to 100 letters, digits, "_", ".", ":", "{", "}" or "-"',
      )
      .default('forge1:router:learner:'),
    commandTimeoutMs: z.number().int().positive().default(1000),
  })
  .strict();

// Adds every field's increment to the tenant's hash (ARGV[1]) in one atomic step.
const addScript = luaScript(
  `for i = 2, #ARGV, 2 do redis.call('HINCRBYFLOAT', ARGV[1], ARGV[i], ARGV[i + 1]) end return 1`,
);

/**
 * A learner store in Redis: each tenant's weights are one hash, updated with `HINCRBYFLOAT` so that
 * processes add their steps together.
 * @throws ValidationError on bad options (the field is named); `add` and `read` reject with one on
 * a tenant id that is not a string or increments that are not a Map of finite numbers, and with a
 * RedisUnavailableError (code `store_unavailable`) when Redis fails or does not answer in time.
 * @example
 * ```ts
 * import Redis from 'ioredis';
 * import { createRedisLearnerStore } from '@forge1/router/redis';
 * const store = createRedisLearnerStore({ client: new Redis(process.env.REDIS_URL) });
 * const router = createRouter({ learner: { store } });
 * ```
 */
export function createRedisLearnerStore(options: RedisLearnerStoreOptions): LearnerStore {
  const { client, keyPrefix, commandTimeoutMs } = parseWith(
    schema,
    options,
    'createRedisLearnerStore options',
  );
  const connection = createRedisConnection(client, {
    timeoutMs: commandTimeoutMs,
    what: 'Redis learner store',
  });
  return {
    async add(tenantId: string, increments) {
      expectString(tenantId, 'learnerStore.add', 'tenantId');
      const args: Array<string | number> = [keyPrefix + tenantId];
      for (const [field, value] of readIncrements(increments, 'learnerStore.add')) args.push(field, value);
      if (args.length > 1) await connection.script(addScript, args);
    },
    async read(tenantId: string) {
      expectString(tenantId, 'learnerStore.read', 'tenantId');
      const reply = await connection.command('HGETALL', [keyPrefix + tenantId]);
      const pairs: unknown[] = Array.isArray(reply)
        ? reply
        : reply && typeof reply === 'object'
          ? Object.entries(reply).flat()
          : [];
      if (pairs.length === 0) return undefined;
      const fields = new Map<string, number>();
      for (let index = 0; index + 1 < pairs.length; index += 2) {
        const value = Number(pairs[index + 1]);
        if (Number.isFinite(value)) fields.set(String(pairs[index]), value);
      }
      return fields;
    },
  };
}
