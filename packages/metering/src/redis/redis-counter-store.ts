import { type Clock, parseWith, systemClock } from '@forge1/core';
import { z } from 'zod';
import { checkCounterEntries, checkCounterKeys, checkMarker } from '../guard/counter-input.js';
import type { GuardCounterStore } from '../guard/counter-store.js';
import {
  createScriptRunner,
  type LuaScript,
  luaScript,
  type RedisCommandClient,
} from './redis-connection.js';

/** Options of {@link createRedisCounterStore}. */
export interface RedisCounterStoreOptions {
  /** An ioredis client (or anything with `call(command, args)`), or a `redis://` URL (needs ioredis installed). */
  redis: RedisCommandClient | string;
  /** Prepended to every counter key (the guard's keys already start with `forge1:guard:`). @default '' */
  prefix?: string;
  /** Turns the guard's absolute `expiresAt` into Redis TTLs. @default systemClock */
  clock?: Clock;
  /** A command that takes longer fails with a RedisUnavailableError. @default 1000 */
  commandTimeoutMs?: number;
}

const schema = z.object({
  redis: z.custom<RedisCommandClient | string>(
    (value) =>
      (typeof value === 'string' && /^rediss?:\/\//.test(value)) ||
      (typeof value === 'object' &&
        value !== null &&
        typeof (value as RedisCommandClient).call === 'function'),
    'expected an ioredis client or a redis:// URL',
  ),
  prefix: z
    .string()
    .regex(/^[A-Za-z0-9_.:{}-]{0,100}$/, 'expected up to 100 letters, digits, "_", ".", ":", "{", "}" or "-"')
    .default(''),
  clock: z.custom<Clock>((value) => typeof (value as Clock | undefined)?.now === 'function').optional(),
  commandTimeoutMs: z.number().int().positive().default(1000),
});

// Counters are strings holding a number; SET ... KEEPTTL then an expiry that never shortens one in force.
const prelude = `
local prefix = ARGV[1]
local function fmt(x) return string.format('%.17g', x) end
local function value(key) return tonumber(redis.call('GET', key) or '0') or 0 end
local function store(key, next, ttl)
  redis.call('SET', key, fmt(next), 'KEEPTTL')
  if redis.call('PTTL', key) < ttl then redis.call('PEXPIRE', key, ttl) end
  return fmt(next)
end
`;

/** ARGV: prefix, count, then (key, amount, limit or '', ttl) per entry. */
const reserveScript = luaScript(`${prelude}
local count = tonumber(ARGV[2])
for i = 0, count - 1 do
  local at = 3 + i * 4
  local current = value(prefix .. ARGV[at])
  local amount, limit = tonumber(ARGV[at + 1]), tonumber(ARGV[at + 2])
  if limit and (current + amount > limit or current >= limit) then return {0, i, fmt(current)} end
end
local out = {1}
for i = 0, count - 1 do
  local at = 3 + i * 4
  local key = prefix .. ARGV[at]
  out[#out + 1] = store(key, value(key) + tonumber(ARGV[at + 1]), tonumber(ARGV[at + 3]))
end
return out
`);

/** ARGV: prefix, count, then (key, amount, ttl) per change; mode ARGV[3 + 3 * count]: 'add' or 'raise'. */
const changeScript = luaScript(`${prelude}
local count = tonumber(ARGV[2])
local raise = ARGV[3 + 3 * count] == 'raise'
local out = {}
for i = 0, count - 1 do
  local at = 3 + i * 3
  local key = prefix .. ARGV[at]
  local amount = tonumber(ARGV[at + 1])
  local next = value(key) + amount
  if raise then next = math.max(value(key), amount) end
  out[#out + 1] = store(key, next, tonumber(ARGV[at + 2]))
end
return out
`);

/** ARGV: prefix, then keys. */
const getScript = luaScript(`${prelude}
local out = {}
for i = 2, #ARGV do out[#out + 1] = redis.call('GET', prefix .. ARGV[i]) or '0' end
return out
`);

/** ARGV: prefix, key, ttl. */
const markScript = luaScript(`${prelude}
if redis.call('SET', prefix .. ARGV[2], '1', 'NX', 'PX', tonumber(ARGV[3])) then return 1 end
return 0
`);

/**
 * A {@link GuardCounterStore} in Redis: every method is one Lua script, so `reserve` checks and
 * adds all of a request's counters (daily requests, monthly spend, monthly tokens) atomically
 * across every process, and each counter expires on its own after its period (the guard's
 * `expiresAt`, never shortened). Seed or reconcile it from PostgreSQL with the guard's `usage`
 * option and `guard.seed()`: seeding raises counters, so processes that seed at once agree.
 *
 * @example
 * ```ts
 * import Redis from 'ioredis';
 * import { createGuard, createUsageStore } from '@forge1/metering';
 * import { openPostgresUsageDatabase } from '@forge1/metering/postgres';
 * import { createRedisCounterStore } from '@forge1/metering/redis';
 *
 * const guard = createGuard({
 *   counters: createRedisCounterStore({ redis: new Redis(process.env.REDIS_URL!) }),
 *   usage: createUsageStore({ database: openPostgresUsageDatabase({ connectionString: process.env.PG_URL! }) }),
 * });
 * ```
 * @throws ValidationError on bad options; its methods reject with RedisUnavailableError when Redis fails.
 */
export function createRedisCounterStore(options: RedisCounterStoreOptions): GuardCounterStore {
  const parsed = parseWith(schema, options, 'Redis counter store options');
  const clock = parsed.clock ?? systemClock;
  const { prefix } = parsed;
  const runner = createScriptRunner(parsed.redis, {
    timeoutMs: parsed.commandTimeoutMs,
    what: 'Redis counter store',
  });
  const ttl = (expiresAt: number) => Math.max(1, Math.ceil(expiresAt - clock.now()));
  const numbers = (reply: unknown) => (reply as Array<string | number>).map(Number);
  const run = (script: LuaScript, args: Array<string | number>) => runner.run(script, [prefix, ...args]);

  return {
    specificationVersion: 'v1',
    async reserve(entries) {
      checkCounterEntries(entries, 'redisCounterStore.reserve', 'amount', true);
      if (entries.length === 0) return { ok: true, values: [] };
      const reply = numbers(
        await run(reserveScript, [
          entries.length,
          ...entries.flatMap((entry) => [entry.key, entry.amount, entry.limit ?? '', ttl(entry.expiresAt)]),
        ]),
      );
      if (reply[0] === 1) return { ok: true, values: reply.slice(1) };
      return { ok: false, index: reply[1]!, value: reply[2]! };
    },
    async add(changes) {
      checkCounterEntries(changes, 'redisCounterStore.add', 'amount');
      if (changes.length === 0) return [];
      return numbers(
        await run(changeScript, [
          changes.length,
          ...changes.flatMap((change) => [change.key, change.amount, ttl(change.expiresAt)]),
          'add',
        ]),
      );
    },
    async raise(entries) {
      checkCounterEntries(entries, 'redisCounterStore.raise', 'value');
      if (entries.length === 0) return [];
      return numbers(
        await run(changeScript, [
          entries.length,
          ...entries.flatMap((entry) => [entry.key, entry.value, ttl(entry.expiresAt)]),
          'raise',
        ]),
      );
    },
    async get(keys) {
      checkCounterKeys(keys, 'redisCounterStore.get');
      if (keys.length === 0) return [];
      return numbers(await run(getScript, [...keys]));
    },
    async markOnce(key, expiresAt) {
      checkMarker(key, expiresAt, 'redisCounterStore.markOnce');
      return (await run(markScript, [key, ttl(expiresAt)])) === 1;
    },
    close: () => runner.close(),
  };
}
