import { createFakeClock } from '@forge1/core/testing';
import { createKeyPool, createMemoryStateStore, type StateStoreV1 } from '@forge1/keypool';
import { describe, expect, it } from 'vitest';
import { demand, flush, key, track } from '../../test/fixtures.js';

/** A store answering through promises, like a remote one, whose capacity another process can free. */
function createRemoteLikeStore(clock: ReturnType<typeof createFakeClock>) {
  const inner = createMemoryStateStore({ clock });
  const listeners = new Set<(keyId: string) => void>();
  let elsewhere = true;
  const store: StateStoreV1 = {
    specificationVersion: 'v1',
    now: async () => inner.now(),
    take: async (request) =>
      elsewhere
        ? { ok: false, at: clock.now(), retryAfterMs: Number.POSITIVE_INFINITY, waitsOnRelease: true }
        : inner.take(request),
    settle: async (request) => inner.settle(request),
    coolDown: async (keyId, forMs) => inner.coolDown(keyId, forMs),
    setDisabled: async (keyId, disabled) => inner.setDisabled(keyId, disabled),
    keyState: async (keyId) => inner.keyState(keyId),
    used: async (bucket) => inner.used(bucket),
    watch(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const freeElsewhere = (keyId: string) => {
    elsewhere = false;
    for (const listener of listeners) listener(keyId);
  };
  return { store, freeElsewhere, listeners };
}

describe('createKeyPool with another store', () => {
  it('lends through an asynchronous store and wakes waiters when it reports capacity freed elsewhere', async () => {
    const clock = createFakeClock();
    const { store, freeElsewhere, listeners } = createRemoteLikeStore(clock);
    const pool = createKeyPool({ keys: [key('a')], store, clock, signals: false });
    const waiting = track(pool.acquire(demand()));
    await flush();
    expect(waiting.settled()).toBe(false);
    expect(pool.stats().queueDepth).toBe(1);
    freeElsewhere('a');
    await flush();
    const lease = waiting.value();
    expect(lease?.keyId).toBe('a');
    lease?.release({ usage: { inputTokens: 5, outputTokens: 5, cachedInputTokens: 0 } });
    await flush();
    expect(await store.keyState('a')).toMatchObject({ inFlight: 0 });
    await pool.close();
    expect(listeners.size).toBe(0);
  });

  it('leaves a store it was given open on close', async () => {
    const clock = createFakeClock();
    let closed = 0;
    const store = { ...createMemoryStateStore({ clock }), close: () => void closed++ };
    const pool = createKeyPool({ keys: [key('a')], store, clock, signals: false });
    await pool.close();
    expect(closed).toBe(0);
  });
});
