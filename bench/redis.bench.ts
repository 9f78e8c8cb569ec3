// Acquire + release round trips per second of @forge1/keypool on the Redis state store, against
// the local Redis, beside the memory store for scale. Run after `npm run build -w @forge1/keypool`:
// FORGE1_REDIS_URL=redis://127.0.0.1:6379 node bench/redis.bench.ts
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createKeyPool, createMemoryStateStore, type KeyPool, type StateStoreV1 } from '@forge1/keypool';
import { createRedisStateStore } from '@forge1/keypool/redis';
import { Redis } from 'ioredis';
import { fmt, percentiles, writeSection } from './report.ts';

const url = process.env.FORGE1_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `forge1bench:${randomBytes(4).toString('hex')}`;
const durationMs = 3_000;
const client = new Redis(url);

// Limits far above what one run can use: the figures measure the round trip, not waiting.
const keys = [1, 2, 3, 4].map((index) => ({
  id: `bench-${index}`,
  provider: 'openai',
  secret: `sk-bench-secret-${index}`,
  rpm: 10_000_000,
  tpm: 1_000_000_000,
}));
const demand = {
  provider: 'openai',
  model: 'gpt-4o-mini',
  estTokens: 500,
  tenantId: 'bench',
  tier: 'standard' as const,
};
const usage = { usage: { inputTokens: 200, outputTokens: 150, cachedInputTokens: 0 } };

/** Runs `concurrency` loops of acquire + release for the duration; returns rate and latencies. */
async function measure(pool: KeyPool, store: StateStoreV1, concurrency: number) {
  const latencies: number[] = [];
  const end = performance.now() + durationMs;
  const loop = async () => {
    while (performance.now() < end) {
      const start = performance.now();
      const lease = await pool.acquire(demand);
      lease.release(usage);
      latencies.push(performance.now() - start);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, loop));
  const elapsed = performance.now() - started;
  // Releases settle in the background; wait for the last ones before the next run.
  await store.now();
  return { perSecond: (latencies.length * 1000) / elapsed, ...percentiles(latencies) };
}

const rows: string[] = [];
const results = new Map<string, number>();
for (const [name, makeStore] of [
  ['memory', () => createMemoryStateStore()],
  ['redis', () => createRedisStateStore({ redis: client, prefix })],
] as const) {
  for (const concurrency of [1, 16, 64]) {
    const store = makeStore();
    const pool = createKeyPool({ keys, store, signals: false });
    await pool.ready();
    await measure(pool, store, concurrency);
    const result = await measure(pool, store, concurrency);
    await pool.close();
    // The pool does not own the store: its pub/sub connection is closed here.
    await store.close?.();
    results.set(`${name}:${concurrency}`, result.perSecond);
    rows.push(
      `| ${name} | ${concurrency} | ${fmt(result.perSecond, 0)} | ${fmt(result.p50, 3)} | ${fmt(result.p95, 3)} | ${fmt(result.p99, 3)} |`,
    );
    console.log(rows.at(-1));
  }
}

const leftovers = await client.keys(`${prefix}*`);
if (leftovers.length > 0) await client.del(...leftovers);
client.disconnect();

const redisRuns = [...results].filter(([name]) => name.startsWith('redis:'));
const [bestName, bestRate] = redisRuns.reduce((best, run) => (run[1] > best[1] ? run : best));
const single = results.get('redis:1') ?? 1;
writeSection(
  'redis',
  'Key pool on Redis: acquire + release round trips',
  `
\`pool.acquire()\` then \`lease.release({ usage })\` in a loop, ${durationMs / 1000} s per row after a
warm-up of the same length, four keys with limits far above the load (no waiting), against the
local Redis (${url.replace(/\/\/[^@]*@/, '//')}). Each acquire on Redis is one Lua script (EVALSHA) that
sweeps leases, checks and debits the key's RPM and TPM buckets; each release is one more
script that reconciles tokens and publishes the release. Concurrency is the number of loops in
one process; latency is per acquire + release, in milliseconds.

| store | concurrency | round trips / s | p50 | p95 | p99 |
|---|---:|---:|---:|---:|---:|
${rows.join('\n')}

Concurrent acquires share the connection's pipeline: Redis peaks at ${fmt(bestRate, 0)} round trips / s
with ${bestName.split(':')[1]} loops, ${fmt(bestRate / single, 1)}× one loop. The memory store is the
single-process ceiling, ${fmt((results.get('memory:1') ?? 0) / single, 0)}× Redis with one loop.
`,
);
