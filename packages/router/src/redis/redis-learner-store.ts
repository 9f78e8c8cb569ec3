import { readOptions, ValidationError } from '@forge1/core';
import type { LearnerStore, WeightIncrements } from '../learn/learner-store.js';

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
}

// Adds every field's increment to the tenant's hash in one atomic step.
const addScript = `for i = 1, #ARGV, 2 do redis.call('HINCRBYFLOAT', KEYS[1], ARGV[i], ARGV[i + 1]) end return 1`;

/**
 * A learner store in Redis: each tenant's weights are one hash, updated with `HINCRBYFLOAT` so that
 * processes add their steps together.
 * @throws ValidationError when the client has no `call` method.
 * @example
 * ```ts
 * import Redis from 'ioredis';
 * import { createRedisLearnerStore } from '@forge1/router/redis';
 * const store = createRedisLearnerStore({ client: new Redis(process.env.REDIS_URL) });
 * const router = createRouter({ learner: { store } });
 * ```
 */
export function createRedisLearnerStore(input: RedisLearnerStoreOptions): LearnerStore {
  const options = readOptions(input, 'createRedisLearnerStore');
  if (typeof options?.client?.call !== 'function') {
    throw new ValidationError('redis learner store', [
      { path: 'client', message: 'expected an ioredis client' },
    ]);
  }
  const { client } = options;
  const prefix = options.keyPrefix ?? 'forge1:router:learner:';
  return {
    async add(tenantId: string, increments: WeightIncrements) {
      const args: Array<string | number> = [addScript, 1, prefix + tenantId];
      for (const [field, value] of increments) args.push(field, value);
      await client.call('EVAL', args);
    },
    async read(tenantId: string) {
      const reply = await client.call('HGETALL', [prefix + tenantId]);
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
