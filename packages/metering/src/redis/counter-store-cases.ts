import type { GuardCounterStore } from '@forge1/metering';
import { describe, expect, it } from 'vitest';

let counter = 0;

/**
 * The behaviour every {@link GuardCounterStore} shares: the memory store and the Redis store run
 * these same cases. Keys are unique per test, so a shared Redis needs no flushing.
 */
export function runCounterStoreCases(name: string, factory: () => GuardCounterStore): void {
  describe(`GuardCounterStore cases: ${name}`, () => {
    const day = Date.now() + 86_400_000;
    const fresh = () => {
      const base = `cases${Date.now().toString(36)}${(counter++).toString(36)}`;
      return { requests: `${base}:requests`, spend: `${base}:spend`, tokens: `${base}:tokens` };
    };

    it('reserves every entry or none, and names the first that refused', async () => {
      const store = factory();
      const keys = fresh();
      const entries = [
        { key: keys.requests, amount: 1, limit: 2, expiresAt: day },
        { key: keys.spend, amount: 400, limit: 1000, expiresAt: day },
      ];
      expect(await store.reserve(entries)).toEqual({ ok: true, values: [1, 400] });
      expect(await store.reserve(entries)).toEqual({ ok: true, values: [2, 800] });
      expect(await store.reserve(entries)).toEqual({ ok: false, index: 0, value: 2 });
      expect(await store.get([keys.requests, keys.spend])).toEqual([2, 800]);
      const spendOnly = [{ key: keys.spend, amount: 300, limit: 1000, expiresAt: day }];
      expect(await store.reserve(spendOnly)).toEqual({ ok: false, index: 0, value: 800 });
    });

    it('refuses a counter already at its limit even for a zero amount, and never checks a null limit', async () => {
      const store = factory();
      const keys = fresh();
      await store.add([{ key: keys.spend, amount: 1000, expiresAt: day }]);
      const atLimit = [{ key: keys.spend, amount: 0, limit: 1000, expiresAt: day }];
      expect(await store.reserve(atLimit)).toMatchObject({ ok: false, index: 0 });
      const unlimited = [{ key: keys.spend, amount: 5000, limit: null, expiresAt: day }];
      expect(await store.reserve(unlimited)).toEqual({ ok: true, values: [6000] });
    });

    it('adds negative amounts, raises only upwards and reads missing counters as zero', async () => {
      const store = factory();
      const keys = fresh();
      expect(await store.add([{ key: keys.tokens, amount: 50, expiresAt: day }])).toEqual([50]);
      expect(await store.add([{ key: keys.tokens, amount: -20, expiresAt: day }])).toEqual([30]);
      expect(await store.raise([{ key: keys.tokens, value: 10, expiresAt: day }])).toEqual([30]);
      expect(await store.raise([{ key: keys.tokens, value: 90, expiresAt: day }])).toEqual([90]);
      expect(await store.get([keys.requests, keys.tokens])).toEqual([0, 90]);
    });

    it('sets a marker for the first caller only', async () => {
      const store = factory();
      const keys = fresh();
      const answers = await Promise.all([1, 2, 3].map(() => store.markOnce(keys.requests, day)));
      expect(answers.filter(Boolean)).toHaveLength(1);
    });

    it('refuses malformed entries with a validation_error and changes no counter', async () => {
      const store = factory();
      const keys = fresh();
      const refused = { code: 'validation_error' };
      await expect(store.reserve(null as never)).rejects.toMatchObject(refused);
      const nan = { key: keys.spend, amount: Number.NaN, limit: 100, expiresAt: day };
      await expect(store.reserve([nan])).rejects.toMatchObject(refused);
      await expect(store.add([{ ...nan, key: keys.spend }])).rejects.toMatchObject(refused);
      await expect(store.raise([{ key: Symbol() as never, value: 1, expiresAt: day }])).rejects.toMatchObject(
        refused,
      );
      await expect(store.get('keys' as never)).rejects.toMatchObject(refused);
      await expect(store.markOnce(keys.requests, Number.NaN)).rejects.toMatchObject(refused);
      expect(await store.get([keys.spend, keys.requests])).toEqual([0, 0]);
    });

    it('never lets concurrent reservations pass the limit', async () => {
      const store = factory();
      const keys = fresh();
      const results = await Promise.all(
        Array.from({ length: 50 }, () =>
          store.reserve([{ key: keys.spend, amount: 7, limit: 100, expiresAt: day }]),
        ),
      );
      expect(results.filter((result) => result.ok)).toHaveLength(14);
      expect(await store.get([keys.spend])).toEqual([98]);
    });
  });
}
