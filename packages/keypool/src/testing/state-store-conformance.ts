import { createFakeClock, type FakeClock } from '@forge1/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type {
  BucketSpec,
  KeyCandidate,
  StateStoreV1,
  TakeRequest,
  TakeResult,
} from '../store/state-store.js';

/**
 * Makes a fresh store for one test. The store must take its time from `clock` (a Redis store
 * offers a clock override for this), so that the kit can move time without sleeping.
 */
export type StateStoreFactory = (context: { clock: FakeClock }) => StateStoreV1 | Promise<StateStoreV1>;

let counter = 0;

/**
 * Runs the {@link StateStoreV1} contract against a store factory, with vitest. Bucket and key ids
 * are unique per test, so a shared Redis needs no flushing between tests.
 * @example
 * ```ts
 * import { runStateStoreConformance } from '@forge1/keypool/testing';
 * runStateStoreConformance('redis store', ({ clock }) => createRedisStateStore({ client, clock }));
 * ```
 */
export function runStateStoreConformance(name: string, factory: StateStoreFactory): void {
  describe(`StateStoreV1 conformance: ${name}`, () => {
    let store: StateStoreV1 | undefined;
    let clock: FakeClock;
    let prefix = '';

    const setup = async () => {
      clock = createFakeClock();
      prefix = `conf${Date.now().toString(36)}${(counter++).toString(36)}`;
      store = await factory({ clock });
      return store;
    };
    afterEach(async () => {
      await store?.close?.();
      store = undefined;
    });

    const bucket = (
      owner: string,
      unit: 'requests' | 'tokens',
      limit: number,
      windowMs = 60_000,
    ): BucketSpec => ({
      id: `${prefix}:${owner}:${unit}`,
      unit,
      limit,
      windowMs,
    });
    const candidate = (
      keyId: string,
      rpm: number,
      tpm: number,
      extra: Partial<KeyCandidate> = {},
    ): KeyCandidate => ({
      keyId: `${prefix}-${keyId}`,
      buckets: [bucket(keyId, 'requests', rpm), bucket(keyId, 'tokens', tpm)],
      maxConcurrent: 0,
      rank: 1,
      shared: true,
      weight: 1,
      ...extra,
    });
    let leases = 0;
    const request = (
      candidates: KeyCandidate[],
      tokens: number,
      extra: Partial<TakeRequest> = {},
    ): TakeRequest => ({
      candidates,
      tokens,
      priorityClass: 0,
      reserves: [],
      leaseId: `${prefix}-lease-${leases++}`,
      leaseTtlMs: 600_000,
      ...extra,
    });
    const expectOk = (result: TakeResult): string => {
      expect(result.ok).toBe(true);
      return result.ok ? result.keyId : '';
    };
    const refusal = (result: TakeResult) => {
      expect(result.ok).toBe(false);
      if (result.ok) throw new Error('expected a refusal');
      return result;
    };

    it('has specificationVersion v1 and reports its own time', async () => {
      const s = await setup();
      expect(s.specificationVersion).toBe('v1');
      expect(await s.now()).toBe(clock.now());
    });

    it('debits every bucket of the chosen key at once', async () => {
      const s = await setup();
      const key = candidate('a', 10, 1000);
      expectOk(await s.take(request([key], 300)));
      expect(await s.used(key.buckets[0]!)).toBe(1);
      expect(await s.used(key.buckets[1]!)).toBe(300);
    });

    it('refuses without debiting anything when one bucket lacks room', async () => {
      const s = await setup();
      const key = candidate('a', 10, 1000);
      expectOk(await s.take(request([key], 800)));
      refusal(await s.take(request([key], 300)));
      expect(await s.used(key.buckets[0]!)).toBe(1);
      expect(await s.used(key.buckets[1]!)).toBe(800);
    });

    it('never grants more than the limit within one window, and grants again once it has passed', async () => {
      const s = await setup();
      const key = candidate('a', 3, 1_000_000);
      for (let i = 0; i < 3; i++) expectOk(await s.take(request([key], 1)));
      const refused = refusal(await s.take(request([key], 1)));
      expect(refused.retryAfterMs).toBe(60_000);
      await clock.advance(59_999);
      refusal(await s.take(request([key], 1)));
      await clock.advance(1);
      expectOk(await s.take(request([key], 1)));
    });

    it('says when enough tokens leave the window', async () => {
      const s = await setup();
      const key = candidate('a', 100, 1000);
      expectOk(await s.take(request([key], 400)));
      await clock.advance(10_000);
      expectOk(await s.take(request([key], 400)));
      const refused = refusal(await s.take(request([key], 500)));
      expect(refused.retryAfterMs).toBe(50_000);
    });

    it('picks the key with the most headroom, weighted', async () => {
      const s = await setup();
      const a = candidate('a', 10, 1000);
      const b = candidate('b', 10, 1000);
      expectOk(await s.take(request([a], 500)));
      expect(expectOk(await s.take(request([a, b], 100)))).toBe(b.keyId);
      const heavy = candidate('c', 10, 1000, { weight: 3 });
      const light = candidate('d', 10, 1000);
      expectOk(await s.take(request([heavy], 500)));
      expect(expectOk(await s.take(request([light, heavy], 100)))).toBe(heavy.keyId);
    });

    it('prefers a lower rank even with less headroom', async () => {
      const s = await setup();
      const dedicated = candidate('a', 10, 1000, { rank: 0, shared: false });
      const shared = candidate('b', 10, 1000);
      expectOk(await s.take(request([dedicated], 900)));
      expect(expectOk(await s.take(request([shared, dedicated], 100)))).toBe(dedicated.keyId);
      expect(expectOk(await s.take(request([shared, dedicated], 100)))).toBe(shared.keyId);
    });

    it("keeps other classes' unused reserves free on shared keys only", async () => {
      const s = await setup();
      const shared = candidate('a', 10, 1000);
      const dedicated = candidate('b', 10, 1000, { shared: false });
      const low = { priorityClass: 1, reserves: [0.8, 0] };
      expectOk(await s.take(request([shared], 200, low)));
      refusal(await s.take(request([shared], 1, low)));
      expectOk(await s.take(request([dedicated], 1000, low)));
      expectOk(await s.take(request([shared], 800, { priorityClass: 0, reserves: [0.8, 0] })));
    });

    it('frees for a class what the others leave unused of their reserves', async () => {
      const s = await setup();
      const shared = candidate('a', 10, 1000);
      const reserves = [0.8, 0.1];
      expectOk(await s.take(request([shared], 500, { priorityClass: 0, reserves })));
      // 800 reserved for class 0, 500 of it used: class 1 may fill up to 1000 - 300 = 700.
      expectOk(await s.take(request([shared], 200, { priorityClass: 1, reserves })));
      const refused = refusal(await s.take(request([shared], 1, { priorityClass: 1, reserves })));
      expect(refused.retryAfterMs).toBe(60_000);
      // Class 1 has used 200 of its 100: nothing is held for it, class 0 takes the rest.
      expectOk(await s.take(request([shared], 300, { priorityClass: 0, reserves })));
    });

    it("keeps a lower class's unused guarantee from a higher class", async () => {
      const s = await setup();
      const shared = candidate('a', 10, 1000);
      const reserves = [0.5, 0.3];
      expectOk(await s.take(request([shared], 700, { priorityClass: 0, reserves })));
      refusal(await s.take(request([shared], 1, { priorityClass: 0, reserves })));
      expectOk(await s.take(request([shared], 300, { priorityClass: 1, reserves })));
    });

    it('refuses for ever a demand above a limit', async () => {
      const s = await setup();
      const refused = refusal(await s.take(request([candidate('a', 10, 1000)], 1001)));
      expect(refused.retryAfterMs).toBe(Number.POSITIVE_INFINITY);
    });

    it('replaces the token estimate with the actual usage at settle, once', async () => {
      const s = await setup();
      const key = candidate('a', 10, 1000);
      const take = request([key], 600);
      expectOk(await s.take(take));
      expect(await s.settle({ leaseId: take.leaseId, tokens: 150 })).toBe(true);
      expect(await s.used(key.buckets[1]!)).toBe(150);
      expect(await s.used(key.buckets[0]!)).toBe(1);
      expect(await s.settle({ leaseId: take.leaseId, tokens: 10 })).toBe(false);
      expect(await s.used(key.buckets[1]!)).toBe(150);
      expect(await s.settle({ leaseId: `${prefix}-unknown` })).toBe(false);
    });

    it('records what the provider says remains as used', async () => {
      const s = await setup();
      const key = candidate('a', 10, 1000);
      const take = request([key], 100);
      expectOk(await s.take(take));
      await s.settle({ leaseId: take.leaseId, tokens: 100, remaining: { requests: 2, tokens: 500 } });
      expect(await s.used(key.buckets[0]!)).toBe(8);
      expect(await s.used(key.buckets[1]!)).toBe(500);
    });

    it('holds concurrency slots until settle, and a release may free them', async () => {
      const s = await setup();
      const key = candidate('a', 100, 100_000, { maxConcurrent: 1 });
      const first = request([key], 1);
      expectOk(await s.take(first));
      const refused = refusal(await s.take(request([key], 1)));
      expect(refused.waitsOnRelease).toBe(true);
      expect((await s.keyState(key.keyId)).inFlight).toBe(1);
      await s.settle({ leaseId: first.leaseId, tokens: 1 });
      expectOk(await s.take(request([key], 1)));
    });

    it('forgets a lease never settled after its TTL', async () => {
      const s = await setup();
      const key = candidate('a', 100, 100_000, { maxConcurrent: 1 });
      const lost = request([key], 1, { leaseTtlMs: 5_000 });
      expectOk(await s.take(lost));
      const refused = refusal(await s.take(request([key], 1)));
      expect(refused.retryAfterMs).toBe(5_000);
      await clock.advance(5_000);
      expectOk(await s.take(request([key], 1)));
      expect(await s.settle({ leaseId: lost.leaseId, tokens: 1 })).toBe(false);
    });

    it('keeps the later deadline when a cooling key is cooled again', async () => {
      const s = await setup();
      const key = candidate('a', 100, 100_000);
      const start = clock.now();
      expect(await s.coolDown(key.keyId, 30_000)).toBe(start + 30_000);
      expect(await s.coolDown(key.keyId, 5_000)).toBe(start + 30_000);
      const refused = refusal(await s.take(request([key], 1)));
      expect(refused.retryAfterMs).toBe(30_000);
      expect((await s.keyState(key.keyId)).cooldownUntil).toBe(start + 30_000);
      await clock.advance(30_000);
      expectOk(await s.take(request([key], 1)));
      expect((await s.keyState(key.keyId)).cooldownUntil).toBe(0);
    });

    it('never lends a disabled key until it is enabled again', async () => {
      const s = await setup();
      const key = candidate('a', 100, 100_000);
      await s.setDisabled(key.keyId, true);
      expect((await s.keyState(key.keyId)).disabled).toBe(true);
      expect(refusal(await s.take(request([key], 1))).retryAfterMs).toBe(Number.POSITIVE_INFINITY);
      await s.setDisabled(key.keyId, false);
      expectOk(await s.take(request([key], 1)));
    });

    it('enforces a bucket shared by several keys jointly', async () => {
      const s = await setup();
      const group = bucket('group', 'requests', 3);
      const a = candidate('a', 10, 1000, { buckets: [bucket('a', 'requests', 10), group] });
      const b = candidate('b', 10, 1000, { buckets: [bucket('b', 'requests', 10), group] });
      expectOk(await s.take(request([a], 1)));
      expectOk(await s.take(request([b], 1)));
      expectOk(await s.take(request([a, b], 1)));
      refusal(await s.take(request([a, b], 1)));
      expect(await s.used(group)).toBe(3);
    });

    it('refuses malformed arguments with a validation_error and keeps its budgets', async () => {
      const s = await setup();
      const key = candidate('a', 10, 1000);
      const refused = async (call: () => unknown) => {
        const error = await Promise.resolve()
          .then(call)
          .then(
            () => undefined,
            (thrown: unknown) => thrown,
          );
        expect((error as { code?: string } | undefined)?.code).toBe('validation_error');
      };
      await refused(() => s.take(null as never));
      await refused(() => s.take({ ...request([key], 1), tokens: Number.NaN }));
      await refused(() =>
        s.take(request([{ ...key, buckets: [{ ...key.buckets[0]!, limit: Number.NaN }] }], 1)),
      );
      const throwing = Object.defineProperty({}, 'leaseId', {
        get: () => {
          throw new RangeError('from the caller');
        },
      });
      await refused(() => s.settle(throwing as never));
      await refused(() => s.settle({ leaseId: 'x', tokens: Number.NaN }));
      await refused(() => s.coolDown(key.keyId, Number.NaN));
      await refused(() => s.coolDown(Symbol() as never, 1000));
      await refused(() => s.setDisabled(key.keyId, 'yes' as never));
      await refused(() => s.keyState(null as never));
      await refused(() => s.used(undefined as never));
      expect(await s.used(key.buckets[0]!)).toBe(0);
      expect(await s.keyState(key.keyId)).toEqual({ disabled: false, cooldownUntil: 0, inFlight: 0 });
    });

    it('never overshoots under many concurrent takes', async () => {
      const s = await setup();
      const keys = [candidate('a', 7, 1000), candidate('b', 5, 1000)];
      const results = await Promise.all(Array.from({ length: 40 }, () => s.take(request(keys, 10))));
      expect(results.filter((result) => result.ok)).toHaveLength(12);
      expect(await s.used(keys[0]!.buckets[0]!)).toBe(7);
      expect(await s.used(keys[1]!.buckets[0]!)).toBe(5);
    });
  });
}
