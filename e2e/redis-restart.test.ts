import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { Forge1Error } from '@forge1/core';
import { createKeyPool, type KeyPool } from '@forge1/keypool';
import { createRedisStateStore, type RedisStateStore } from '@forge1/keypool/redis';
import { afterAll, describe, expect, it } from 'vitest';

// Redis goes away in the middle of a run and comes back. The test starts its own redis-server
// on a free port (never the machine's main Redis), kills it and starts it again. A pool whose
// store says onRedisError 'fail' gets typed, retryable errors; one that says 'local' keeps
// lending from local limits; both go back to Redis when it returns, and nothing crashes.
const url = process.env.FORGE1_REDIS_URL;
const hasServer = (() => {
  try {
    execFileSync('redis-server', ['--version']);
    return true;
  } catch {
    return false;
  }
})();
if (!url || !hasServer)
  console.warn('FORGE1_REDIS_URL is unset or redis-server is missing: the Redis restart test is skipped');

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

const startRedis = (port: number) =>
  new Promise<ChildProcess>((resolve, reject) => {
    const child = spawn('redis-server', [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
    ]);
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      if (text.includes('Ready to accept connections')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`redis-server exited with ${code}`)));
  });

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(attempt: () => Promise<T>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await pause(100);
    }
  }
}

describe.skipIf(!url || !hasServer)('Redis restarted mid-run (FORGE1_REDIS_URL, redis-server)', () => {
  let server: ChildProcess | undefined;
  const stores: RedisStateStore[] = [];
  const pools: KeyPool[] = [];
  afterAll(async () => {
    for (const pool of pools) await pool.close();
    for (const store of stores) await store.close();
    server?.kill('SIGKILL');
  });

  it("fails with typed errors ('fail') or lends from local limits ('local'), then recovers", async () => {
    const port = await freePort();
    server = await startRedis(port);
    const redisUrl = `redis://127.0.0.1:${port}`;
    const errors: Error[] = [];
    const failing = createRedisStateStore({ redis: redisUrl, onRedisError: 'fail', recheckMs: 100 });
    const falling = createRedisStateStore({
      redis: redisUrl,
      onRedisError: 'local',
      localShare: 0.5,
      recheckMs: 100,
      onError: (error) => errors.push(error),
    });
    stores.push(failing, falling);
    const keys = [
      { id: 'restart-1', provider: 'openai', secret: 'sk-restart-secret-1', rpm: 1000, tpm: 1_000_000 },
    ];
    const strict = createKeyPool({ keys, store: failing, signals: false, maxWaitMs: 1000 });
    const lenient = createKeyPool({ keys, store: falling, signals: false, maxWaitMs: 1000 });
    pools.push(strict, lenient);
    const demand = {
      provider: 'openai',
      model: 'gpt-4o-mini',
      estTokens: 100,
      tenantId: 'acme',
      tier: 'standard' as const,
    };
    const bucket = { id: 'key:restart-1:rpm', unit: 'requests' as const, limit: 1000, windowMs: 60_000 };

    (await strict.acquire(demand)).release();
    const held = await lenient.acquire(demand);
    expect(await failing.used(bucket)).toBe(2);

    server.kill('SIGKILL');
    await pause(200);
    const refused = await strict.acquire(demand).catch((error: unknown) => error);
    expect(Forge1Error.is(refused)).toBe(true);
    expect(refused).toMatchObject({
      name: 'RedisUnavailableError',
      code: 'store_unavailable',
      retryable: true,
    });
    held.release();
    for (let i = 0; i < 5; i++) (await lenient.acquire(demand)).release();
    expect(falling.degraded()).toBe(true);
    expect(errors.length).toBeGreaterThan(0);

    server = await startRedis(port);
    const lease = await until(() => strict.acquire(demand), 8_000);
    lease.release();
    await until(async () => {
      (await lenient.acquire(demand)).release();
      if (falling.degraded()) throw new Error('still local');
    }, 8_000);
    // The restarted Redis is empty: what it counts now was lent after it came back.
    expect(await failing.used(bucket)).toBeGreaterThanOrEqual(2);
    expect(await failing.used(bucket)).toBeLessThan(10);
  }, 30_000);
});
