import { createEventBus, type Forge1Events, RateLimitedError } from '@forge1/core';
import { createFakeClock } from '@forge1/core/testing';
import { createKeyPool, createMemoryStateStore, type StateStoreV1 } from '@forge1/keypool';
import { describe, expect, it } from 'vitest';
import { demand, flush, key } from '../../test/fixtures.js';

/** A memory store behind promises, whose writes can be made to fail. */
function createFlakyStore(clock: ReturnType<typeof createFakeClock>) {
  const inner = createMemoryStateStore({ clock });
  const failing = new Set<string>();
  const settled: string[] = [];
  const fail = (operation: string) => {
    if (failing.has(operation)) throw new Error(`${operation} lost the connection`);
  };
  const store: StateStoreV1 = {
    specificationVersion: 'v1',
    now: async () => inner.now(),
    take: async (request) => {
      fail('take');
      return inner.take(request);
    },
    settle: async (request) => {
      await Promise.resolve();
      fail('settle');
      settled.push(request.leaseId);
      return inner.settle(request);
    },
    coolDown: async (keyId, forMs) => {
      fail('coolDown');
      return inner.coolDown(keyId, forMs);
    },
    setDisabled: async (keyId, disabled) => inner.setDisabled(keyId, disabled),
    keyState: async (keyId) => inner.keyState(keyId),
    used: async (bucket) => inner.used(bucket),
  };
  return { store, failing, settled };
}

const setupFlaky = () => {
  const clock = createFakeClock();
  const events = createEventBus();
  const errors: Array<Forge1Events['store.error']> = [];
  events.on('store.error', (payload) => errors.push(payload));
  const flaky = createFlakyStore(clock);
  const pool = createKeyPool({ keys: [key('a')], store: flaky.store, clock, events, signals: false });
  return { pool, errors, ...flaky };
};

describe('createKeyPool store failures', () => {
  it('resolves an awaited release only once the store has the settle', async () => {
    const { pool, settled } = setupFlaky();
    const lease = await pool.acquire(demand());
    const released = lease.release();
    expect(released).toBeInstanceOf(Promise);
    expect(settled).toEqual([]);
    await released;
    expect(settled).toHaveLength(1);
  });

  it('reports a failed settle as a store.error event and a stat, and still resolves the release', async () => {
    const { pool, errors, failing } = setupFlaky();
    const lease = await pool.acquire(demand());
    failing.add('settle');
    await expect(lease.release()).resolves.toBeUndefined();
    expect(errors).toEqual([
      {
        store: 'keypool',
        operation: 'settle',
        keyId: 'a',
        errorCode: 'internal_error',
        message: 'settle lost the connection',
      },
    ]);
    expect(pool.stats().storeErrors).toBe(1);
  });

  it('reports a failed cooldown and leaves the key uncooled locally', async () => {
    const { pool, errors, failing } = setupFlaky();
    const lease = await pool.acquire(demand());
    failing.add('coolDown');
    lease.release({ error: new RateLimitedError('slow down', { provider: 'openai', retryAfterMs: 5_000 }) });
    await flush();
    expect(errors.map((error) => error.operation)).toEqual(['coolDown']);
    expect(pool.stats().keys[0]?.state).toBe('active');
  });

  it('never reports anything when the store answers', async () => {
    const { pool, errors } = setupFlaky();
    const lease = await pool.acquire(demand());
    await lease.release();
    expect(errors).toEqual([]);
    expect(pool.stats().storeErrors).toBe(0);
  });

  it('rejects a queued request with the store error when a take fails in the queue', async () => {
    const clock = createFakeClock();
    const events = createEventBus();
    const errors: Array<Forge1Events['store.error']> = [];
    events.on('store.error', (payload) => errors.push(payload));
    const { store, failing } = createFlakyStore(clock);
    const pool = createKeyPool({
      keys: [key('a', { maxConcurrent: 1 })],
      store,
      clock,
      events,
      signals: false,
    });
    const lease = await pool.acquire(demand());
    const waiting = pool.acquire(demand()).catch((error: unknown) => error);
    await flush();
    failing.add('take');
    await lease.release();
    await flush();
    expect(await waiting).toMatchObject({ message: 'take lost the connection' });
    expect(errors.map((error) => error.operation)).toEqual(['take']);
  });
});
