import {
  asInputError,
  BudgetExceededError,
  type Clock,
  type EventBus,
  expectString,
  type GuardCheck,
  type GuardGrant,
  type GuardSettlement,
  type GuardV1,
  QuotaExceededError,
  systemClock,
  type UsageStoreV1,
  ValidationError,
} from '@forge1/core';
import { checkFactoryOptions } from '../factory-options.js';
import { createMemoryCounterStore, type GuardCounterStore } from './counter-store.js';
import { createGrantKind } from './held-grant.js';
import { utcDay, utcPeriod } from './periods.js';

/** Options of {@link createGuard}. */
export interface GuardOptions {
  /** Where counters live. @default createMemoryCounterStore({ clock }) */
  counters?: GuardCounterStore;
  /** Seeds the counters from stored usage before the first check, so a restart does not forget spend. */
  usage?: Pick<UsageStoreV1, 'adminSummary'>;
  clock?: Clock;
  /** Receives `budget.alert`. */
  events?: EventBus;
}

/** A tenant's counters in the current day and period. */
export interface GuardUsage {
  day: string;
  period: string;
  requestsToday: number;
  /** Settled spend plus what requests in flight hold. */
  spentMicros: number;
  /** Spend of settled requests only (what `budget.alert` compares with the thresholds). */
  settledMicros: number;
  tokens: number;
}

/** The gateway's guard: core's {@link GuardV1} plus seeding and a look at the counters. */
export interface Guard extends GuardV1 {
  /** Raises the counters of the current day and period to what the usage store holds. */
  seed(): Promise<void>;
  usage(tenantId: string): Promise<GuardUsage>;
  /**
   * Raises (or lowers) a grant's hold on the budget to the routed model's expected cost.
   * @throws BudgetExceededError when the budget cannot hold it.
   */
  reserve(grant: GuardGrant, costMicros: number): Promise<GuardGrant>;
}

const GRACE = 7 * 86_400_000;
type GuardKeys = ReturnType<typeof buildKeys>;
const buildKeys = (tenantId: string, at: number) => {
  const { day, start: dayStart, end: dayEnd } = utcDay(at);
  const { period, end: periodEnd } = utcPeriod(at);
  // The braces keep one tenant's keys together (a Redis cluster hash tag).
  const base = `forge1:guard:{${tenantId}}`;
  return {
    day,
    period,
    dayStart,
    dayEnd,
    periodEnd,
    requests: `${base}:requests:${day}`,
    spend: `${base}:spend:${period}`,
    tokens: `${base}:tokens:${period}`,
    // Spend of settled requests only: budget alerts read it, so holds never raise an alert.
    settled: `${base}:settled:${period}`,
    alert: (threshold: number) => `${base}:alert:${period}:${threshold}`,
  };
};

/**
 * The counter keys of a tenant at a time. A request looks them up three times (check, reserve,
 * settle) and every request of a day shares them, so the last ones of each tenant are kept while
 * their day lasts (a day lies within one period).
 */
function createKeyCache(maxTenants = 4096) {
  const known = new Map<string, GuardKeys>();
  return (tenantId: string, at: number): GuardKeys => {
    const cached = known.get(tenantId);
    if (cached !== undefined && at >= cached.dayStart && at < cached.dayEnd) return cached;
    const keys = buildKeys(tenantId, at);
    if (known.size >= maxTenants) known.clear();
    known.set(tenantId, keys);
    return keys;
  };
}

const invalid = (path: string, message: string) => new ValidationError('guard call', [{ path, message }]);

function checkAmount(path: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalid(path, 'expected a finite non-negative number');
  }
}

function checkRequest(request: GuardCheck): GuardCheck {
  if (typeof request !== 'object' || request === null) throw invalid('(root)', 'expected a guard check');
  try {
    const { policy, minimumCostMicros, estimatedTokens } = request;
    if (
      typeof policy !== 'object' ||
      policy === null ||
      typeof policy.id !== 'string' ||
      typeof policy.budget !== 'object' ||
      typeof policy.limits !== 'object'
    ) {
      throw invalid('policy', 'expected a tenant policy');
    }
    checkAmount('minimumCostMicros', minimumCostMicros);
    checkAmount('estimatedTokens', estimatedTokens);
    return request;
  } catch (thrown) {
    // A getter or Proxy trap of the caller's: a validation error, not its own error.
    throw asInputError(thrown, 'guard.check');
  }
}

function checkSettlement(grant: GuardGrant, settlement: GuardSettlement): void {
  try {
    checkSettlementFields(grant, settlement);
  } catch (thrown) {
    throw asInputError(thrown, 'guard.settle');
  }
}

function checkSettlementFields(grant: GuardGrant, settlement: GuardSettlement): void {
  if (typeof grant !== 'object' || grant === null || typeof grant.tenantId !== 'string') {
    throw invalid('grant', 'expected the grant check() returned');
  }
  if (typeof settlement !== 'object' || settlement === null)
    throw invalid('settlement', 'expected a settlement');
  checkAmount('settlement.costMicros', settlement.costMicros);
  checkAmount('settlement.tokens', settlement.tokens);
  if (typeof settlement.served !== 'boolean') throw invalid('settlement.served', 'expected a boolean');
}

/**
 * Creates the guard: before each call it reserves one request of the tenant's daily quota
 * (UTC day), the cheapest possible cost of the call against the monthly budget (billing
 * period) and the estimated tokens against the monthly token cap, all or nothing; after
 * routing, `reserve` raises the budget hold to the routed model's expected cost; after the
 * call, `settle` replaces the reservation by the actual cost and tokens (and gives the
 * request back if no provider served it, so that a request refused or failed after the check
 * leaves nothing held), then fires `budget.alert` once per period for each threshold the
 * settled spend has reached (holds of requests in flight never raise an alert).
 * @example
 * ```ts
 * const guard = createGuard({ usage: usageStore, events });
 * const gateway = createGateway({ ..., guard });
 * ```
 */
export function createGuard(input?: GuardOptions): Guard {
  const options = checkFactoryOptions('guard', input, 'guard options');
  const clock = options.clock ?? systemClock;
  const counters = options.counters ?? createMemoryCounterStore({ clock });
  const { HeldGrant, reservationOf } = createGrantKind();
  const settled = new WeakSet<GuardGrant>();
  let seeded: Promise<void> | undefined;
  const keysOf = createKeyCache();

  const seed = async () => {
    if (!options.usage) return;
    const now = clock.now();
    const period = utcPeriod(now);
    const day = utcDay(now);
    const [monthly, daily] = await Promise.all([
      options.usage.adminSummary({ from: period.start, to: period.end }),
      options.usage.adminSummary({ from: day.start, to: day.end }),
    ]);
    const entries = monthly.flatMap((row) => {
      const keys = keysOf(row.tenantId, now);
      return [
        { key: keys.spend, value: row.costMicros, expiresAt: keys.periodEnd + GRACE },
        { key: keys.settled, value: row.costMicros, expiresAt: keys.periodEnd + GRACE },
        { key: keys.tokens, value: row.inputTokens + row.outputTokens, expiresAt: keys.periodEnd + GRACE },
      ];
    });
    for (const row of daily) {
      const keys = keysOf(row.tenantId, now);
      entries.push({ key: keys.requests, value: row.requests, expiresAt: keys.dayEnd + 86_400_000 });
    }
    if (entries.length > 0) await counters.raise(entries);
  };

  // The seeding known to have finished: checks after it do not wait a turn for it again.
  let done: Promise<void> | undefined;
  const ensureSeeded = () => {
    seeded ??= seed().catch((error: unknown) => {
      seeded = undefined;
      throw error;
    });
    return seeded;
  };

  return {
    specificationVersion: 'v1',
    seed: () => {
      seeded = seed();
      return seeded;
    },
    async usage(tenantId) {
      expectString(tenantId, 'guard.usage', 'tenantId');
      const keys = keysOf(tenantId, clock.now());
      const [requestsToday, spentMicros, tokens, settledMicros] = await counters.get([
        keys.requests,
        keys.spend,
        keys.tokens,
        keys.settled,
      ]);
      return {
        day: keys.day,
        period: keys.period,
        requestsToday: requestsToday!,
        spentMicros: spentMicros!,
        settledMicros: settledMicros!,
        tokens: tokens!,
      };
    },
    async check(request) {
      const { policy, minimumCostMicros, estimatedTokens } = checkRequest(request);
      if (seeded === undefined || seeded !== done) {
        const seeding = ensureSeeded();
        await seeding;
        if (seeded === seeding) done = seeding;
      }
      const now = clock.now();
      const keys = keysOf(policy.id, now);
      const minimum = Math.max(0, Math.ceil(minimumCostMicros));
      const tokens = Math.max(0, Math.ceil(estimatedTokens));
      const budget = policy.budget.monthlyMicros;
      const result = await counters.reserve([
        {
          key: keys.requests,
          amount: 1,
          limit: policy.limits.dailyRequests,
          expiresAt: keys.dayEnd + 86_400_000,
        },
        { key: keys.spend, amount: minimum, limit: budget, expiresAt: keys.periodEnd + GRACE },
        {
          key: keys.tokens,
          amount: tokens,
          limit: policy.limits.monthlyTokens,
          expiresAt: keys.periodEnd + GRACE,
        },
      ]);
      if (!result.ok) {
        const common = { tenantId: policy.id, used: result.value };
        if (result.index === 0) {
          throw new QuotaExceededError(
            `Tenant ${policy.id} used its ${policy.limits.dailyRequests} requests of ${keys.day}`,
            {
              ...common,
              limit: policy.limits.dailyRequests,
              resetsAt: keys.dayEnd,
            },
          );
        }
        if (result.index === 1) {
          throw new BudgetExceededError(`Tenant ${policy.id} cannot afford this request in ${keys.period}`, {
            ...common,
            limit: budget ?? 0,
            resetsAt: keys.periodEnd,
          });
        }
        throw new QuotaExceededError(`Tenant ${policy.id} used its monthly tokens of ${keys.period}`, {
          ...common,
          limit: policy.limits.monthlyTokens ?? 0,
          resetsAt: keys.periodEnd,
        });
      }
      const spentBefore = result.values[1]! - minimum;
      return new HeldGrant(policy.id, now, budget === null ? null : Math.max(0, budget - spentBefore), {
        heldMicros: minimum,
        tokens,
        budgetMicros: budget,
        thresholds: policy.budget.alertThresholds,
        settled: false,
      });
    },
    async reserve(grant, costMicros) {
      checkAmount('costMicros', costMicros);
      const reservation = reservationOf(grant);
      if (!reservation || reservation.settled || reservation.budgetMicros === null) return grant;
      const keys = keysOf(grant.tenantId, grant.at);
      const cost = Math.max(0, Math.ceil(costMicros));
      const delta = cost - reservation.heldMicros;
      let spent: number;
      if (delta > 0) {
        const result = await counters.reserve([
          {
            key: keys.spend,
            amount: delta,
            limit: reservation.budgetMicros,
            expiresAt: keys.periodEnd + GRACE,
          },
        ]);
        if (!result.ok) {
          throw new BudgetExceededError(
            `Tenant ${grant.tenantId} cannot afford this request in ${keys.period}`,
            {
              tenantId: grant.tenantId,
              limit: reservation.budgetMicros,
              used: result.value,
              resetsAt: keys.periodEnd,
            },
          );
        }
        spent = result.values[0]!;
      } else {
        [spent] = (await counters.add([
          { key: keys.spend, amount: delta, expiresAt: keys.periodEnd + GRACE },
        ])) as [number];
      }
      reservation.heldMicros = cost;
      // What remains for this request: the budget less everyone else's spend and holds. The new
      // grant shares the reservation, so settling either one releases the same holds.
      return new HeldGrant(
        grant.tenantId,
        grant.at,
        Math.max(0, reservation.budgetMicros - (spent - cost)),
        reservation,
      );
    },
    async settle(grant, settlement) {
      checkSettlement(grant, settlement);
      const reservation = reservationOf(grant);
      if (reservation ? reservation.settled : settled.has(grant)) return;
      const keys = keysOf(grant.tenantId, grant.at);
      const changes = [
        {
          key: keys.spend,
          amount: settlement.costMicros - (reservation?.heldMicros ?? 0),
          expiresAt: keys.periodEnd + GRACE,
        },
        {
          key: keys.tokens,
          amount: settlement.tokens - (reservation?.tokens ?? 0),
          expiresAt: keys.periodEnd + GRACE,
        },
        { key: keys.settled, amount: settlement.costMicros, expiresAt: keys.periodEnd + GRACE },
      ];
      if (!settlement.served && reservation) {
        changes.push({ key: keys.requests, amount: -1, expiresAt: keys.dayEnd + 86_400_000 });
      }
      // Marked settled only once the counters took it, so a settle that failed may be retried.
      const values = await counters.add(changes);
      if (reservation) reservation.settled = true;
      else settled.add(grant);
      const settledSpend = values[2]!;
      const budget = reservation?.budgetMicros ?? null;
      if (!reservation || budget === null || budget <= 0 || !options.events) return;
      for (const threshold of reservation.thresholds) {
        if (settledSpend < threshold * budget) break;
        if (await counters.markOnce(keys.alert(threshold), keys.periodEnd + GRACE)) {
          options.events.emit('budget.alert', {
            tenantId: grant.tenantId,
            period: keys.period,
            threshold,
            spentMicros: settledSpend,
            budgetMicros: budget,
          });
        }
      }
    },
  };
}
