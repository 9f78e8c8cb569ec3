import { randomUUID } from 'node:crypto';
import { Forge1Error } from '@forge1/core';
import { createOnlineLearner, priorWeights, readDifficultyInput } from '@forge1/router';
import { createRedisLearnerStore, type RedisLearnerClient } from '@forge1/router/redis';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { refusal, rejection } from '../test-refusal.js';

const url = process.env.FORGE1_REDIS_URL;
if (!url) console.info('FORGE1_REDIS_URL is unset: the Redis learner-store tests are skipped');

const features = (text: string) => {
  const input = readDifficultyInput({ messages: [{ role: 'user', content: text }] });
  return { dense: Float64Array.from(input.dense), slots: input.sketch.slots.slice(0, input.sketch.count) };
};

describe('redis learner store', () => {
  it('refuses a client without call, and names a bad key prefix or timeout', () => {
    expect(() => createRedisLearnerStore({ client: {} as RedisLearnerClient })).toThrow(Forge1Error);
    const client: RedisLearnerClient = { call: async () => [] };
    expect(refusal(() => createRedisLearnerStore({ client, keyPrefix: 'a b' }))).toEqual(['keyPrefix']);
    expect(refusal(() => createRedisLearnerStore({ client, commandTimeoutMs: 0 }))).toEqual([
      'commandTimeoutMs',
    ]);
  });

  it('rejects malformed arguments before sending anything', async () => {
    const sent: string[] = [];
    const store = createRedisLearnerStore({ client: { call: async (command) => sent.push(command) } });
    await expect(rejection(store.add(7 as never, new Map()) as Promise<void>)).resolves.toEqual(['tenantId']);
    await expect(rejection(store.add('acme', { n: 1 } as never) as Promise<void>)).resolves.toEqual([
      'increments',
    ]);
    await expect(rejection(store.read(Symbol() as never) as Promise<unknown>)).resolves.toEqual(['tenantId']);
    expect(sent).toEqual([]);
  });

  it('rejects with a store_unavailable error when Redis fails', async () => {
    const store = createRedisLearnerStore({
      client: {
        call: async () => {
          throw new Error('ECONNREFUSED');
        },
      },
    });
    await expect(store.read('acme')).rejects.toMatchObject({ code: 'store_unavailable' });
    await expect(store.add('acme', new Map([['n', 1]]))).rejects.toMatchObject({ code: 'store_unavailable' });
  });

  describe.skipIf(!url)('against a real Redis', () => {
    const client = new Redis(url ?? '', { lazyConnect: false, maxRetriesPerRequest: 1 });
    const keyPrefix = `forge1-test:${randomUUID()}:`;
    afterAll(async () => {
      const keys = await client.keys(`${keyPrefix}*`);
      if (keys.length > 0) await client.del(...keys);
      await client.quit();
    });

    it('lets two processes learn together: the steps of both add up in the shared hash', async () => {
      const first = createOnlineLearner(
        { prior: priorWeights() },
        { store: createRedisLearnerStore({ client, keyPrefix }) },
      );
      const second = createOnlineLearner(
        { prior: priorWeights() },
        { store: createRedisLearnerStore({ client, keyPrefix }) },
      );
      const x = features('Compute 12 * 7 for the invoice');
      const start = second.probability('acme', x);
      for (let i = 0; i < 5; i++) first.update('acme', x, 1);
      for (let i = 0; i < 5; i++) second.update('acme', x, 1);
      for (let i = 0; i < 5; i++) first.updateStrong('acme', x, 1);
      // The increments are sent in order on one connection; a read after them sees them all.
      await client.ping();
      await first.sync('acme');
      await second.sync('acme');
      expect(first.observations('acme')).toBe(10);
      expect(second.observations('acme')).toBe(10);
      expect(first.probability('acme', x)).toBeCloseTo(second.probability('acme', x), 9);
      expect(second.probability('acme', x)).toBeGreaterThan(start);
      // The two predictions' losses, which mix them, add up too.
      const loss = first.exportState().tenants.acme?.loss;
      expect(loss?.prior).toBeGreaterThan(0);
      expect(second.exportState().tenants.acme?.loss?.prior).toBeCloseTo(loss!.prior, 9);
      expect(second.exportState().tenants.acme?.strong?.observations).toBe(5);
    });

    it('reads nothing for a tenant that never learned', async () => {
      const store = createRedisLearnerStore({ client, keyPrefix });
      expect(await store.read('nobody')).toBeUndefined();
    });
  });
});
