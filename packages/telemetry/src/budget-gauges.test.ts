import { createEventBus, type EventBus, type UsageRecord } from '@forge1/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createOtelHarness } from '../test/otel-harness.ts';
import type { BudgetSource, GuardUsageSource } from './budget-gauges.js';
import { instrument } from './instrument.js';
import { MetricNames } from './instruments.js';

let harness = createOtelHarness();
afterEach(async () => {
  await harness.shutdown();
  harness = createOtelHarness();
});

const spend = (events: EventBus, tenantId: string) =>
  events.emit('usage', { record: { tenantId, costMicros: 10 } as UsageRecord });

const spentBy: Record<string, number> = { acme: 250_000, beta: 40_000 };
const guard: GuardUsageSource = {
  usage: async (tenantId) => {
    const spentMicros = spentBy[tenantId];
    if (spentMicros === undefined) throw new Error('unknown tenant');
    return { period: '2026-01', spentMicros };
  },
};
const tenants: BudgetSource = {
  resolve: async (tenantId) => ({ budget: { monthlyMicros: tenantId === 'acme' ? 1_000_000 : null } }),
};

describe('budget gauges over a guard', () => {
  it('report each spending tenant’s spend this period and the share of its monthly budget', async () => {
    const events = createEventBus();
    instrument({ events }, { meterProvider: harness.meterProvider, guard, tenants });
    spend(events, 'acme');
    spend(events, 'beta');
    const spent = await harness.metric(MetricNames.budgetSpent);
    expect(spent.map((point) => [point.attributes['forge1.tenant'], point.value])).toEqual([
      ['acme', 250_000],
      ['beta', 40_000],
    ]);
    const share = await harness.metric(MetricNames.budgetUtilization);
    expect(share).toMatchObject([
      { attributes: { 'forge1.tenant': 'acme', 'forge1.budget.period': '2026-01' }, value: 0.25 },
    ]);
  });

  it('leave out a tenant the guard cannot answer for, and report the others', async () => {
    const events = createEventBus();
    instrument({ events }, { meterProvider: harness.meterProvider, guard });
    spend(events, 'ghost');
    spend(events, 'beta');
    const spent = await harness.metric(MetricNames.budgetSpent);
    expect(spent.map((point) => point.attributes['forge1.tenant'])).toEqual(['beta']);
  });

  it('replace the alert-based budget share when a guard is given', async () => {
    const events = createEventBus();
    instrument({ events }, { meterProvider: harness.meterProvider, guard, tenants });
    events.emit('budget.alert', {
      tenantId: 'acme',
      period: '2026-01',
      threshold: 0.5,
      spentMicros: 900_000,
      budgetMicros: 1_000_000,
    });
    spend(events, 'acme');
    expect((await harness.metric(MetricNames.budgetUtilization)).map((point) => point.value)).toEqual([0.25]);
  });
});
