import { randomBytes } from 'node:crypto';
import { startProviderEmulator } from '@forge1/adapters/emulator';
import { createRedisStateStore } from '@forge1/keypool/redis';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnWorker, type WorkerProcess } from './workers/spawn-worker.js';

// Four processes, one pool: each worker (e2e/workers/pool-worker.ts, run from the package
// sources through e2e/workers/source-hooks.ts, so no build is needed) keeps three requests
// going through a key pool on the Redis state store; two keys are shared by all of them. The
// emulator enforces the same limits as the pool, over a 2 s window; the pool's window is
// 100 ms longer, the margin for the time between Redis granting a lease and the request
// reaching the emulator. One worker is killed with a lease in hand halfway through.
const url = process.env.FORGE1_REDIS_URL;
if (!url) console.warn('FORGE1_REDIS_URL is unset: the multi-process Redis pool test is skipped');

const windowMs = 2_000;
const limit = 12;
const runMs = 10_000;
const leaseTtlMs = 3_000;
const prefix = `forge1test:workers:${randomBytes(4).toString('hex')}`;

describe.skipIf(!url)('four processes share two keys through Redis (FORGE1_REDIS_URL)', () => {
  let redis: Redis | undefined;
  afterAll(async () => {
    if (!redis) return;
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('never trips a 429, uses ≥ 90 % of capacity and survives a SIGKILL', {
    timeout: 60_000,
  }, async () => {
    redis = new Redis(url!);
    const keys = ['a', 'b'].map((name) => ({
      id: `shared-${name}`,
      secret: `sk-e2e-workers-${name}-${randomBytes(8).toString('hex')}`,
      rpm: limit,
      tpm: 50_000,
      windowMs: windowMs + 100,
      maxConcurrent: 8,
    }));
    const emulator = await startProviderEmulator({
      keys: Object.fromEntries(keys.map((key) => [key.secret, { rpm: limit, tpm: 50_000 }])),
      windowMs,
      latencyMs: 100,
    });
    const observer = createRedisStateStore({ redis, prefix });
    const config = {
      redisUrl: url,
      prefix,
      emulatorUrl: emulator.urls.openai,
      keys,
      leaseTtlMs,
      concurrency: 3,
    };
    const workers: WorkerProcess[] = [0, 1, 2, 3].map(() => spawnWorker('pool-worker.ts', config));
    try {
      // The run starts once every worker is ready, however long a loaded machine takes to start them.
      await Promise.all(workers.map((worker) => worker.next('ready')));
      const startAt = Date.now() + 300;
      const endAt = startAt + runMs;
      const killAt = startAt + runMs / 2;
      for (const [index, worker] of workers.entries()) {
        worker.send(JSON.stringify({ startAt, endAt, ...(index === 3 ? { holdAfter: killAt } : {}) }));
      }
      const holding = await workers[3]!.next('holding');
      workers[3]!.child.kill('SIGKILL');
      const killedAt = Date.now();
      const stuck = await observer.keyState(holding.keyId as string);
      expect(stuck.inFlight).toBeGreaterThanOrEqual(1);

      const survivors = await Promise.all(workers.slice(0, 3).map((worker) => worker.next('done')));
      expect(await workers[3]!.exited).toBeNull();
      for (const done of survivors) expect(done).toMatchObject({ rateLimited: 0, errors: 0 });
      for (const key of keys) expect(emulator.counters.forKey(key.secret).rateLimited).toBe(0);

      // The emulator is the provider: it counts every key's requests over its own 2 s window as
      // they arrive, and refused none. (The workers' own send times are no measure of that: on a
      // loaded machine a worker may print a send long after Redis granted it.)
      const sends = workers.flatMap((worker) => worker.events.filter((event) => event.type === 'sent'));
      for (const key of keys) {
        const served = emulator.counters.forKey(key.secret).requests;
        expect(served).toBeLessThanOrEqual(limit * (runMs / windowMs + 1));
      }
      const capacity = (keys.length * limit * runMs) / windowMs;
      const inRun = sends.filter((event) => (event.at as number) >= startAt && (event.at as number) < endAt);
      console.info(
        `4 workers: ${inRun.length} calls of ${capacity} capacity (${Math.round((100 * inRun.length) / capacity)} %)`,
      );
      expect(inRun.length / capacity).toBeGreaterThanOrEqual(0.9);
      const afterKill = inRun.filter((event) => (event.at as number) >= killedAt).length;
      expect(afterKill / ((keys.length * limit * (endAt - killedAt)) / windowMs)).toBeGreaterThanOrEqual(0.8);

      // The dead worker's lease expires on its own; everyone else released theirs.
      await new Promise((resolve) =>
        setTimeout(resolve, Math.max(0, killedAt + leaseTtlMs + 100 - Date.now())),
      );
      for (const key of keys) expect((await observer.keyState(key.id)).inFlight).toBe(0);
    } finally {
      for (const worker of workers) worker.child.kill('SIGKILL');
      await observer.close();
      await emulator.close();
    }
  });
});
