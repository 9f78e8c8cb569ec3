import { type KeyDemand, type Lease, NoCapacityError, ProviderAuthError, sleep } from '@forge1/core';
import type { FakeClock } from '@forge1/core/testing';
import { describe, expect, it } from 'vitest';
import { demand, flush, key, setup } from '../../test/fixtures.js';
import type { KeyPool } from './pool-types.js';

const usage = (tokens: number) => ({ inputTokens: tokens, outputTokens: 0, cachedInputTokens: 0 });

/** Advances the fake clock in steps until every task has settled. */
async function drive(clock: FakeClock, tasks: Promise<unknown>[], stepMs = 1_000, maxSteps = 100_000) {
  let settled = 0;
  for (const task of tasks)
    task.then(
      () => settled++,
      () => settled++,
    );
  for (let step = 0; step < maxSteps && settled < tasks.length; step++) {
    await clock.advance(stepMs);
    await flush();
  }
  expect(settled).toBe(tasks.length);
}

/** Most units granted within any window of `windowMs` (grants sorted by time). */
function peakWindow(grants: Array<{ at: number; units: number }>, windowMs: number): number {
  const sorted = [...grants].sort((a, b) => a.at - b.at);
  let peak = 0;
  let sum = 0;
  let start = 0;
  for (const grant of sorted) {
    sum += grant.units;
    while (sorted[start]!.at <= grant.at - windowMs) sum -= sorted[start++]!.units;
    peak = Math.max(peak, sum);
  }
  return peak;
}

const p95 = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(0.95 * sorted.length))] ?? 0;
};

/** A seeded generator, so that arrivals are irregular yet reproducible. */
const seeded = (seed: number) => () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};

describe('createKeyPool acceptance', () => {
  it('serves 1000 requests on 3 keys at 60 rpm without any window over a limit, in about 1000/180 minutes', async () => {
    const keys = ['a', 'b', 'c'].map((id) => key(id, { rpm: 60, tpm: 30_000 }));
    const { pool, clock } = setup({ keys, maxWaitMs: 3_600_000 });
    const start = clock.now();
    const requests: Record<string, Array<{ at: number; units: number }>> = { a: [], b: [], c: [] };
    const tokens: Record<string, Array<{ at: number; units: number }>> = { a: [], b: [], c: [] };
    let lastDone = start;
    const tasks = Array.from({ length: 1000 }, async () => {
      const lease = await pool.acquire(demand({ estTokens: 500 }));
      const at = clock.now();
      await sleep(800, { clock });
      lease.release({ usage: usage(450) });
      requests[lease.keyId]!.push({ at, units: 1 });
      tokens[lease.keyId]!.push({ at, units: 450 });
      lastDone = Math.max(lastDone, clock.now());
    });
    await drive(clock, tasks, 200);
    for (const id of ['a', 'b', 'c']) {
      expect(peakWindow(requests[id]!, 60_000)).toBeLessThanOrEqual(60);
      expect(peakWindow(tokens[id]!, 60_000)).toBeLessThanOrEqual(30_000);
    }
    expect(Object.values(requests).reduce((sum, list) => sum + list.length, 0)).toBe(1000);
    const minutes = (lastDone - start) / 60_000;
    // Rolling windows allow a burst per window, so the earliest a compliant schedule can end is 5 minutes.
    expect(minutes).toBeGreaterThanOrEqual(5);
    expect(minutes).toBeLessThanOrEqual((1000 / 180) * 1.02);
  });

  it('keeps enterprise waits as if unloaded under 3x overload and still serves standard tenants', async () => {
    const run = async (tiers: Array<KeyDemand['tier']>) => {
      const keys = ['a', 'b', 'c'].map((id) => key(id, { rpm: 60, tpm: 1_000_000 }));
      const { pool, clock } = setup({ keys });
      const start = clock.now();
      const random = seeded(42);
      const rates: Record<KeyDemand['tier'], number> = {
        enterprise: 1,
        professional: 4,
        standard: 4,
      };
      const waits: Record<string, number[]> = { enterprise: [], professional: [], standard: [] };
      const servedByMinute: Record<string, Set<number>> = {
        enterprise: new Set(),
        professional: new Set(),
        standard: new Set(),
      };
      const refused: Record<string, number> = { enterprise: 0, professional: 0, standard: 0 };
      const tasks: Promise<void>[] = [];
      const arrivals: Array<{ at: number; tier: KeyDemand['tier'] }> = [];
      for (const tier of tiers) {
        for (let at = 0; at < 600_000; at += (1000 / rates[tier]) * (0.5 + random()))
          arrivals.push({ at, tier });
      }
      arrivals.sort((x, y) => x.at - y.at);
      const ask = async (tier: KeyDemand['tier']) => {
        const asked = clock.now();
        try {
          const lease = await pool.acquire(demand({ tier, tenantId: tier }));
          waits[tier]!.push(clock.now() - asked);
          servedByMinute[tier]!.add(Math.floor((clock.now() - start) / 60_000));
          await sleep(200, { clock });
          lease.release({ usage: usage(100) });
        } catch (error) {
          expect(error).toBeInstanceOf(NoCapacityError);
          refused[tier]!++;
        }
      };
      let next = 0;
      for (let now = 0; now < 660_000; now += 100) {
        while (next < arrivals.length && arrivals[next]!.at <= now) tasks.push(ask(arrivals[next++]!.tier));
        await clock.advance(100);
      }
      await drive(clock, tasks);
      await pool.close();
      return { waits, servedByMinute, refused };
    };
    const unloaded = await run(['enterprise']);
    const loaded = await run(['enterprise', 'professional', 'standard']);
    expect(loaded.waits.enterprise!.length).toBeGreaterThan(500);
    expect(loaded.refused.enterprise).toBe(0);
    expect(p95(loaded.waits.enterprise!)).toBeLessThanOrEqual(1.2 * p95(unloaded.waits.enterprise!));
    // Standard tenants are served in every one of the ten minutes.
    for (let minute = 0; minute < 10; minute++)
      expect(loaded.servedByMinute.standard!.has(minute)).toBe(true);
    expect(loaded.waits.standard!.length).toBeGreaterThan(100);
  });

  it('fails no request when a secret is rotated under load', async () => {
    const valid = new Map([
      ['a', 'sk-old-a-0123456789abcdef'],
      ['b', 'sk-old-b-0123456789abcdef'],
    ]);
    const { pool, clock } = setup({
      keys: [
        key('a', { rpm: 600, secret: valid.get('a')! }),
        key('b', { rpm: 600, secret: valid.get('b')! }),
      ],
      maxWaitMs: 600_000,
    });
    let failures = 0;
    let served = 0;
    const call = async (lease: Lease) => {
      // The provider checks the key when the call starts, then takes 2 s to answer.
      if (lease.secret.reveal() !== valid.get(lease.keyId))
        throw new ProviderAuthError('revoked', { provider: 'openai', status: 401 });
      await sleep(2_000, { clock });
    };
    const tasks = Array.from({ length: 400 }, async (_, index) => {
      await sleep(index * 100, { clock });
      const lease = await pool.acquire(demand());
      try {
        await call(lease);
        lease.release({ usage: usage(100) });
        served++;
      } catch (error) {
        lease.release({ error });
        failures++;
      }
    });
    const rotation = (async () => {
      await sleep(15_000, { clock });
      await pool.rotate('a', 'sk-new-a-0123456789abcdef');
      valid.set('a', 'sk-new-a-0123456789abcdef');
    })();
    await drive(clock, [...tasks, rotation], 100);
    expect(failures).toBe(0);
    expect(served).toBe(400);
    expect(pool.stats().keys.map((k) => k.state)).toEqual(['active', 'active']);
  });

  it('disables a key on its first 401 and moves the load to the others', async () => {
    const { pool, clock, emitted } = setup({ keys: ['a', 'b', 'c'].map((id) => key(id, { rpm: 600 })) });
    const calls: Record<string, number> = { a: 0, b: 0, c: 0 };
    let served = 0;
    const attempt = async (pool: KeyPool): Promise<void> => {
      for (let tries = 0; tries < 3; tries++) {
        const lease = await pool.acquire(demand());
        calls[lease.keyId]!++;
        if (lease.keyId === 'b') {
          lease.release({
            error: new ProviderAuthError('invalid api key', { provider: 'openai', status: 401 }),
          });
          continue;
        }
        await sleep(500, { clock });
        lease.release({ usage: usage(100) });
        served++;
        return;
      }
    };
    const tasks = Array.from({ length: 300 }, async (_, index) => {
      await sleep(index * 50, { clock });
      await attempt(pool);
    });
    await drive(clock, tasks, 100);
    expect(served).toBe(300);
    expect(calls.b).toBe(1);
    expect(emitted('key.disabled')).toEqual([{ keyId: 'b', provider: 'openai', reason: 'auth' }]);
    expect(calls.a! + calls.c!).toBe(300);
  });
});
