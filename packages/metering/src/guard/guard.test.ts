import { createEventBus, type Forge1Events, type RequestContext, resolveTenantPolicy } from '@forge1/core';
import { createFakeClock } from '@forge1/core/testing';
import { createGuard, createMemoryCounterStore, createSqliteSink, createUsageStore } from '@forge1/metering';
import { sampleUsageRecords } from '@forge1/metering/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const context = { tenantId: 'acme', requestId: 'req-1' } as RequestContext;
const policyWith = (limits: object, budget: object) =>
  resolveTenantPolicy({ id: 'acme', tier: 'standard', limits, budget });

describe('createGuard', () => {
  it('refuses the request past the daily quota until the next UTC day', async () => {
    const clock = createFakeClock(Date.UTC(2026, 2, 10, 15));
    const guard = createGuard({ clock });
    const policy = policyWith({ dailyRequests: 2 }, {});
    const check = () => guard.check({ policy, context, minimumCostMicros: 0, estimatedTokens: 10 });
    await check();
    await check();
    await expect(check()).rejects.toMatchObject({
      code: 'quota_exceeded',
      resetsAt: Date.UTC(2026, 2, 11),
      limit: 2,
      used: 2,
      tenantId: 'acme',
    });
    await clock.advance(9 * 3_600_000);
    await expect(check()).resolves.toMatchObject({ tenantId: 'acme' });
  });

  it("settles yesterday's grant against yesterday's counters once today's requests have begun", async () => {
    const clock = createFakeClock(Date.UTC(2026, 2, 10, 23));
    const guard = createGuard({ clock });
    const policy = policyWith({ dailyRequests: 5 }, {});
    const check = () => guard.check({ policy, context, minimumCostMicros: 0, estimatedTokens: 10 });
    const yesterday = await check();
    await clock.advance(2 * 3_600_000);
    await check();
    await guard.settle(yesterday, { costMicros: 0, tokens: 0, served: false });
    expect(await guard.usage('acme')).toMatchObject({ day: '2026-03-11', requestsToday: 1 });
  });

  it('refuses a request the budget cannot afford at its minimum cost, until next period', async () => {
    const clock = createFakeClock(Date.UTC(2026, 0, 31, 23));
    const guard = createGuard({ clock });
    const policy = policyWith({}, { monthlyMicros: 1000 });
    const grant = await guard.check({ policy, context, minimumCostMicros: 400, estimatedTokens: 0 });
    expect(grant.remainingBudgetMicros).toBe(1000);
    await guard.settle(grant, { costMicros: 700, tokens: 0, served: true });
    await expect(
      guard.check({ policy, context, minimumCostMicros: 301, estimatedTokens: 0 }),
    ).rejects.toMatchObject({
      code: 'budget_exceeded',
      resetsAt: Date.UTC(2026, 1, 1),
      used: 700,
    });
    const next = await guard.check({ policy, context, minimumCostMicros: 300, estimatedTokens: 0 });
    expect(next.remainingBudgetMicros).toBe(300);
  });

  it('reserves the minimum cost so that concurrent checks cannot overspend', async () => {
    const guard = createGuard({ clock: createFakeClock() });
    const policy = policyWith({}, { monthlyMicros: 1000 });
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () =>
        guard.check({ policy, context, minimumCostMicros: 300, estimatedTokens: 0 }),
      ),
    );
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(3);
  });

  it('raises the hold to the routed cost, so that concurrent requests cannot spend past the budget', async () => {
    const guard = createGuard({ clock: createFakeClock() });
    const policy = policyWith({}, { monthlyMicros: 1000 });
    const first = await guard.check({ policy, context, minimumCostMicros: 100, estimatedTokens: 0 });
    const second = await guard.check({ policy, context, minimumCostMicros: 100, estimatedTokens: 0 });
    expect(second.remainingBudgetMicros).toBe(900);
    await expect(guard.reserve(first, 600)).resolves.toMatchObject({ remainingBudgetMicros: 900 });
    expect((await guard.usage('acme')).spentMicros).toBe(700);
    await expect(guard.reserve(second, 600)).rejects.toMatchObject({
      code: 'budget_exceeded',
      limit: 1000,
      used: 700,
    });
    await expect(guard.reserve(second, 300)).resolves.toMatchObject({ remainingBudgetMicros: 400 });
    await guard.settle(first, { costMicros: 550, tokens: 0, served: true });
    await guard.settle(second, { costMicros: 280, tokens: 0, served: true });
    expect((await guard.usage('acme')).spentMicros).toBe(830);
  });

  it('lowers the hold when the routed cost is below the minimum held, and ignores unlimited budgets', async () => {
    const guard = createGuard({ clock: createFakeClock() });
    const grant = await guard.check({
      policy: policyWith({}, { monthlyMicros: 1000 }),
      context,
      minimumCostMicros: 200,
      estimatedTokens: 0,
    });
    await guard.reserve(grant, 50);
    expect((await guard.usage('acme')).spentMicros).toBe(50);
    const unlimited = await guard.check({
      policy: policyWith({}, { monthlyMicros: null }),
      context,
      minimumCostMicros: 0,
      estimatedTokens: 0,
    });
    await expect(guard.reserve(unlimited, 5_000_000)).resolves.toBe(unlimited);
  });

  it('enforces the monthly token cap', async () => {
    const guard = createGuard({ clock: createFakeClock() });
    const policy = policyWith({ monthlyTokens: 1000 }, {});
    const grant = await guard.check({ policy, context, minimumCostMicros: 0, estimatedTokens: 500 });
    await guard.settle(grant, { costMicros: 0, tokens: 900, served: true });
    await expect(
      guard.check({ policy, context, minimumCostMicros: 0, estimatedTokens: 200 }),
    ).rejects.toMatchObject({
      code: 'quota_exceeded',
      limit: 1000,
      used: 900,
    });
  });

  it('gives the request back when no provider served it', async () => {
    const guard = createGuard({ clock: createFakeClock() });
    const policy = policyWith({ dailyRequests: 1 }, {});
    const grant = await guard.check({ policy, context, minimumCostMicros: 10, estimatedTokens: 5 });
    await guard.settle(grant, { costMicros: 0, tokens: 0, served: false });
    expect(await guard.usage('acme')).toMatchObject({ requestsToday: 0, spentMicros: 0, tokens: 0 });
    await guard.check({ policy, context, minimumCostMicros: 10, estimatedTokens: 5 });
  });

  it('fires each budget alert once per period', async () => {
    const clock = createFakeClock(Date.UTC(2026, 0, 15));
    const events = createEventBus();
    const alerts: Array<Forge1Events['budget.alert']> = [];
    events.on('budget.alert', (alert) => alerts.push(alert));
    const guard = createGuard({ clock, events });
    const policy = policyWith({}, { monthlyMicros: 1000 });
    const spend = async (costMicros: number) =>
      guard.settle(await guard.check({ policy, context, minimumCostMicros: 0, estimatedTokens: 0 }), {
        costMicros,
        tokens: 0,
        served: true,
      });
    await spend(400);
    expect(alerts).toEqual([]);
    await spend(150);
    await spend(10);
    expect(alerts.map((alert) => alert.threshold)).toEqual([0.5]);
    await spend(300);
    expect(alerts.map((alert) => alert.threshold)).toEqual([0.5, 0.8]);
    expect(alerts[1]).toEqual({
      tenantId: 'acme',
      period: '2026-01',
      threshold: 0.8,
      spentMicros: 860,
      budgetMicros: 1000,
    });
    await clock.advance(31 * 86_400_000);
    await spend(600);
    expect(alerts.map((alert) => `${alert.period}:${alert.threshold}`)).toEqual([
      '2026-01:0.5',
      '2026-01:0.8',
      '2026-02:0.5',
    ]);
  });

  it('settles a grant once', async () => {
    const guard = createGuard({ clock: createFakeClock() });
    const policy = policyWith({}, {});
    const grant = await guard.check({ policy, context, minimumCostMicros: 0, estimatedTokens: 0 });
    await guard.settle(grant, { costMicros: 50, tokens: 5, served: true });
    await guard.settle(grant, { costMicros: 50, tokens: 5, served: true });
    expect((await guard.usage('acme')).spentMicros).toBe(50);
  });

  it('seeds its counters from the usage store so a restart remembers spend', async () => {
    const clock = createFakeClock(Date.UTC(2026, 0, 20, 12));
    const sink = createSqliteSink();
    await sink.init();
    const records = sampleUsageRecords(200, {
      start: Date.UTC(2026, 0, 20),
      stepMs: 60_000,
      tenants: ['acme'],
    });
    await sink.write(records);
    const guard = createGuard({ clock, usage: createUsageStore({ database: sink.database }) });
    const policy = policyWith({}, { monthlyMicros: null });
    await guard.check({ policy, context, minimumCostMicros: 0, estimatedTokens: 0 });
    const used = await guard.usage('acme');
    expect(used.spentMicros).toBe(records.reduce((sum, record) => sum + record.costMicros, 0));
    expect(used.tokens).toBe(
      records.reduce((sum, record) => sum + record.inputTokens + record.outputTokens, 0),
    );
    expect(used.requestsToday).toBe(new Set(records.map((record) => record.requestId)).size + 1);
    await sink.close();
  });

  it('keeps the counters consistent with any sequence of checks and settlements', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ minimum: fc.nat(500), cost: fc.nat(800), served: fc.boolean() }), {
          maxLength: 30,
        }),
        async (calls) => {
          const guard = createGuard({ clock: createFakeClock() });
          const policy = policyWith({ dailyRequests: 1_000 }, { monthlyMicros: 5_000 });
          let spent = 0;
          let requests = 0;
          for (const call of calls) {
            const grant = await guard
              .check({ policy, context, minimumCostMicros: call.minimum, estimatedTokens: 0 })
              .catch(() => null);
            const allowed = spent + call.minimum <= 5_000 && spent < 5_000;
            expect(grant !== null).toBe(allowed);
            if (!grant) continue;
            await guard.settle(grant, { costMicros: call.cost, tokens: 0, served: call.served });
            spent += call.cost;
            if (call.served) requests += 1;
          }
          expect(await guard.usage('acme')).toMatchObject({ spentMicros: spent, requestsToday: requests });
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('createMemoryCounterStore', () => {
  it('reserves all or nothing and forgets expired counters', async () => {
    const clock = createFakeClock();
    const store = createMemoryCounterStore({ clock });
    const at = clock.now() + 1000;
    expect(await store.reserve([{ key: 'a', amount: 2, limit: 5, expiresAt: at }])).toEqual({
      ok: true,
      values: [2],
    });
    const refused = await store.reserve([
      { key: 'b', amount: 1, limit: null, expiresAt: at },
      { key: 'a', amount: 4, limit: 5, expiresAt: at },
    ]);
    expect(refused).toEqual({ ok: false, index: 1, value: 2 });
    expect(await store.get(['a', 'b'])).toEqual([2, 0]);
    expect(await store.markOnce('m', at)).toBe(true);
    expect(await store.markOnce('m', at)).toBe(false);
    await clock.advance(1000);
    expect(await store.get(['a'])).toEqual([0]);
    expect(await store.raise([{ key: 'a', value: 7, expiresAt: at + 5000 }])).toEqual([7]);
    expect(await store.raise([{ key: 'a', value: 3, expiresAt: at + 5000 }])).toEqual([7]);
  });
});
