import type { EventBus } from '@forge1/core';
import type { BatchObservableResult, Meter } from '@opentelemetry/api';
import { Forge1Attributes as F } from './attributes.js';
import { MetricNames } from './instruments.js';

/** What telemetry reads from a guard: `@forge1/metering`'s `createGuard()` fits. */
export interface GuardUsageSource {
  usage(tenantId: string): Promise<{ period: string; spentMicros: number }>;
}

/** Where a tenant's monthly budget is read: a `TenantDirectory` fits. */
export interface BudgetSource {
  resolve(tenantId: string): Promise<{ budget: { monthlyMicros: number | null } }>;
}

/**
 * Registers `forge1.budget.spent` (micro-dollars spent this period) and, with `tenants`,
 * `forge1.budget.utilization` (spent ÷ monthly budget) for every tenant that has spent since
 * instrumentation began, read from the guard at each collection. Returns a function that unregisters.
 */
export function observeBudgets(
  meter: Meter,
  events: EventBus,
  guard: GuardUsageSource,
  tenants: BudgetSource | undefined,
): () => void {
  const seen = new Set<string>();
  const unsubscribe = events.on('usage', ({ record }) => {
    seen.add(record.tenantId);
  });
  const spent = meter.createObservableGauge(MetricNames.budgetSpent, {
    description: 'Spend of the current budget period.',
    unit: '{microdollar}',
  });
  const share = meter.createObservableGauge(MetricNames.budgetUtilization, {
    description: 'Share of the monthly budget spent.',
    unit: '1',
  });
  const observe = async (result: BatchObservableResult) => {
    await Promise.all(
      [...seen].map(async (tenantId) => {
        try {
          const usage = await guard.usage(tenantId);
          const attributes = { [F.tenant]: tenantId, [F.period]: usage.period };
          result.observe(spent, usage.spentMicros, attributes);
          const budget = tenants ? (await tenants.resolve(tenantId)).budget.monthlyMicros : null;
          if (budget) result.observe(share, usage.spentMicros / budget, attributes);
        } catch {
          // An unknown tenant or an unreachable counter store leaves this tenant out of one collection.
        }
      }),
    );
  };
  meter.addBatchObservableCallback(observe, [spent, share]);
  return () => {
    unsubscribe();
    meter.removeBatchObservableCallback(observe, [spent, share]);
  };
}
