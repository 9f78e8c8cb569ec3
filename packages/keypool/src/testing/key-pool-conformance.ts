import { AbortedError, type KeyDemand, type KeyPoolV1, NoCapacityError } from '@forge1/core';
import { createFakeClock, type FakeClock } from '@forge1/core/testing';
import { afterEach, describe, expect, it } from 'vitest';

/**
 * Makes a fresh pool for one test: one key of provider `openai` with the given id and secret,
 * serving every model, allowing `rpm` requests per minute and plenty of tokens, on `clock`.
 */
export type KeyPoolFactory = (context: {
  clock: FakeClock;
  key: { id: string; secret: string; rpm: number };
  maxWaitMs: number;
}) => KeyPoolV1 | Promise<KeyPoolV1>;

/**
 * Runs the {@link KeyPoolV1} contract against a pool factory, with vitest: leases carry the key
 * and its secret, a release is taken once, limits are kept, waits end in NoCapacityError with
 * `retryAfterMs`, aborts leave at once, stats count what happened.
 * @example
 * ```ts
 * import { runKeyPoolConformance } from '@forge1/keypool/testing';
 * runKeyPoolConformance('my pool', ({ clock, key, maxWaitMs }) => createMyPool({ clock, maxWaitMs, keys: [key] }));
 * ```
 */
export function runKeyPoolConformance(name: string, factory: KeyPoolFactory): void {
  describe(`KeyPoolV1 conformance: ${name}`, () => {
    let pool: KeyPoolV1 | undefined;
    const key = { id: 'conformance-key', secret: 'sk-conformance-0123456789abcdef', rpm: 2 };
    const demand = (extra: Partial<KeyDemand> = {}): KeyDemand => ({
      provider: 'openai',
      model: 'gpt-4o-mini',
      estTokens: 10,
      tenantId: 'tenant',
      tier: 'standard',
      ...extra,
    });
    const setup = async (maxWaitMs = 1_000) => {
      const clock = createFakeClock();
      pool = await factory({ clock, key, maxWaitMs });
      return { clock, pool };
    };
    afterEach(async () => {
      await pool?.close?.();
      pool = undefined;
    });

    it('has specificationVersion v1', async () => {
      const { pool } = await setup();
      expect(pool.specificationVersion).toBe('v1');
    });

    it('lends the key with its secret, which never prints', async () => {
      const { pool } = await setup();
      const lease = await pool.acquire(demand());
      expect(lease.keyId).toBe(key.id);
      expect(lease.provider).toBe('openai');
      expect(lease.secret.reveal()).toBe(key.secret);
      expect(`${lease.secret} ${JSON.stringify(lease)}`).not.toContain(key.secret);
      lease.release();
    });

    it('keeps to the limit and says when to retry', async () => {
      const { pool, clock } = await setup();
      (await pool.acquire(demand())).release();
      (await pool.acquire(demand())).release();
      const pending = pool.acquire(demand()).catch((caught: unknown) => caught);
      await clock.advance(1_000);
      const error = await pending;
      expect(error).toBeInstanceOf(NoCapacityError);
      expect((error as NoCapacityError).retryAfterMs).toBeGreaterThan(0);
    });

    it('ignores a second release', async () => {
      const { pool } = await setup();
      const lease = await pool.acquire(demand());
      lease.release();
      lease.release();
      expect(pool.stats().keys.find((stats) => stats.keyId === key.id)?.inFlight).toBe(0);
    });

    it('leaves the queue at once when the signal aborts', async () => {
      const { pool } = await setup(60_000);
      (await pool.acquire(demand())).release();
      (await pool.acquire(demand())).release();
      const controller = new AbortController();
      const waiting = pool.acquire(demand({ signal: controller.signal }));
      await Promise.resolve();
      controller.abort();
      await expect(waiting).rejects.toBeInstanceOf(AbortedError);
      expect(pool.stats().queueDepth).toBe(0);
    });

    it('counts requests per key', async () => {
      const { pool } = await setup();
      (await pool.acquire(demand())).release();
      const stats = pool.stats().keys.find((entry) => entry.keyId === key.id);
      expect(stats).toMatchObject({ provider: 'openai', requests: 1, inFlight: 0 });
    });
  });
}
