import type {
  Catalog,
  ComplexityLevel,
  EventBus,
  Forge1Events,
  ModelRef,
  RouteDecision,
  Usage,
} from '@forge1/core';
import { complexityLevels, readOptions, ValidationError } from '@forge1/core';
import { createLru } from '../lru.js';

/** A count and its share of all requests. */
export interface Share {
  count: number;
  share: number;
}

/** Routing figures of a set of requests (one tenant, or all). */
export interface RoutingStatsSnapshot {
  /** Requests completed. */
  requests: number;
  /** Requests that failed after routing. */
  errors: number;
  /** By complexity level. */
  byLevel: Record<ComplexityLevel, Share>;
  /** By the model that served the answer. */
  byModel: Record<string, Share>;
  /** Share of requests whose first model was a small-tier model. */
  smallModelShare: number;
  /** Share of requests answered by a rung above the first choice. */
  cascadeRate: number;
  /** Share of requests answered by a fallback provider. */
  fallbackRate: number;
  /** What every attempt cost, in micro-dollars. */
  costMicros: number;
  /** What the serving attempts' tokens would have cost on the strongest model. */
  baselineCostMicros: number;
  /** `baselineCostMicros - costMicros` (negative when routing cost more). */
  savingsMicros: number;
  /** Savings as a share of the baseline, 0 when there is no baseline. */
  savingsRate: number;
}

/** Routing figures overall and per tenant. */
export interface RoutingStats extends RoutingStatsSnapshot {
  /** The model the baseline prices, or null when the catalog has none eligible. */
  baselineModel: string | null;
  tenants: Record<string, RoutingStatsSnapshot>;
}

/** One finished request, as a gateway result describes it (`GatewayResult` fits). */
export interface ObservedRequest {
  requestId: string;
  tenantId: string;
  level: ComplexityLevel;
  decision: Pick<RouteDecision, 'provider' | 'model'>;
  model: string;
  cascaded: boolean;
  fellBack: boolean;
  costMicros: number;
  attempts: ReadonlyArray<ModelRef & { ok: boolean; usage: Usage; costMicros?: number }>;
}

/** Collects routing statistics from gateway results or from the gateway's events. */
export interface StatsRecorder {
  /** Records one finished request. */
  observe(result: ObservedRequest): void;
  /** Listens to `route`, `attempt`, `request.done` and `request.error`; returns a function that stops. */
  attach(events: EventBus): () => void;
  snapshot(): RoutingStats;
}

/** Running counts of a set of requests: the snapshot's sums as they are, its shares as counts. */
interface Totals
  extends Pick<RoutingStatsSnapshot, 'requests' | 'errors' | 'costMicros' | 'baselineCostMicros'> {
  levels: Record<ComplexityLevel, number>;
  models: Map<string, number>;
  small: number;
  cascaded: number;
  fellBack: number;
}

interface Pending {
  tenantId: string;
  level: ComplexityLevel;
  firstModel: string;
  servedUsage: Usage | null;
}

const emptyTotals = (): Totals => ({
  requests: 0,
  errors: 0,
  levels: { simple: 0, moderate: 0, complex: 0, critical: 0 },
  models: new Map(),
  small: 0,
  cascaded: 0,
  fellBack: 0,
  costMicros: 0,
  baselineCostMicros: 0,
});

/** Options of {@link createStatsRecorder}. */
export interface StatsRecorderOptions {
  catalog: Catalog;
  /** The model the savings are measured against. @default the highest-quality model of `providers` */
  baselineModel?: string;
  /** Providers to consider for the default baseline; null for all. */
  providers?: ReadonlySet<string> | null;
  /** Requests in flight remembered between their events. @default 10000 */
  pendingLimit?: number;
}

/**
 * Creates a {@link StatsRecorder}. Savings compare what the attempts cost with what the serving
 * attempt's tokens would have cost on the baseline (strongest) model, at catalog prices.
 * @example
 * ```ts
 * const recorder = createStatsRecorder({ catalog: createCatalog() });
 * const stop = recorder.attach(gateway.events);
 * recorder.snapshot().cascadeRate;
 * ```
 */
export function createStatsRecorder(input: StatsRecorderOptions): StatsRecorder {
  const options = readOptions(input, 'createStatsRecorder');
  const { catalog } = options;
  if (typeof catalog !== 'object' || catalog === null || typeof catalog.list !== 'function') {
    throw new ValidationError('createStatsRecorder options', [
      { path: 'catalog', message: 'expected a catalog' },
    ]);
  }
  const providers = options.providers ?? null;
  const baselineModel =
    options.baselineModel ??
    catalog
      .list()
      .filter((model) => providers === null || providers.has(model.provider))
      .sort(
        (a, b) => b.quality - a.quality || a.prices.outputPerMillionMicros - b.prices.outputPerMillionMicros,
      )[0]?.id ??
    null;
  const overall = emptyTotals();
  const tenants = new Map<string, Totals>();
  const pending = createLru<string, Pending>(options.pendingLimit ?? 10_000);

  const baselineOf = (usage: Usage | null) =>
    usage && baselineModel && catalog.get(baselineModel) ? catalog.costOf(baselineModel, usage) : 0;
  const isSmall = (model: string) => catalog.get(model)?.tier === 'small';

  const totalsOf = (tenantId: string): Totals => {
    const known = tenants.get(tenantId);
    if (known) return known;
    const created = emptyTotals();
    tenants.set(tenantId, created);
    return created;
  };

  function add(
    tenantId: string,
    entry: {
      level: ComplexityLevel;
      firstModel: string;
      model: string;
      cascaded: boolean;
      fellBack: boolean;
      cost: number;
      baseline: number;
    },
  ) {
    const forTenant = totalsOf(tenantId);
    for (const totals of [overall, forTenant]) {
      totals.requests++;
      totals.levels[entry.level]++;
      totals.models.set(entry.model, (totals.models.get(entry.model) ?? 0) + 1);
      if (isSmall(entry.firstModel)) totals.small++;
      if (entry.cascaded) totals.cascaded++;
      if (entry.fellBack) totals.fellBack++;
      totals.costMicros += entry.cost;
      totals.baselineCostMicros += entry.baseline;
    }
  }

  function fail(tenantId: string) {
    const forTenant = totalsOf(tenantId);
    overall.errors++;
    forTenant.errors++;
  }

  const listeners = {
    route: ({ requestId, tenantId, decision }: Forge1Events['route']) =>
      pending.set(requestId, {
        tenantId,
        level: decision.level,
        firstModel: decision.model,
        servedUsage: null,
      }),
    attempt: ({ requestId, ok, usage }: Forge1Events['attempt']) => {
      const entry = pending.get(requestId);
      if (entry && ok && usage) entry.servedUsage = usage;
    },
    done: (event: Forge1Events['request.done']) => {
      const entry = pending.get(event.requestId);
      pending.delete(event.requestId);
      add(event.tenantId, {
        level: event.level,
        firstModel: entry?.firstModel ?? event.model,
        model: event.model,
        cascaded: event.cascaded,
        fellBack: event.fellBack,
        cost: event.costMicros,
        baseline: baselineOf(entry?.servedUsage ?? null),
      });
    },
    error: ({ requestId, tenantId }: Forge1Events['request.error']) => {
      if (pending.delete(requestId)) fail(tenantId);
    },
  };

  return {
    observe(result) {
      const served = [...result.attempts].reverse().find((attempt) => attempt.ok);
      add(result.tenantId, {
        level: result.level,
        firstModel: result.decision.model,
        model: result.model,
        cascaded: result.cascaded,
        fellBack: result.fellBack,
        cost: result.costMicros,
        baseline: baselineOf(served?.usage ?? null),
      });
    },
    attach(events) {
      const stops = [
        events.on('route', listeners.route),
        events.on('attempt', listeners.attempt),
        events.on('request.done', listeners.done),
        events.on('request.error', listeners.error),
      ];
      return () => {
        for (const stop of stops) stop();
      };
    },
    snapshot() {
      const byTenant: Record<string, RoutingStatsSnapshot> = {};
      for (const [id, totals] of [...tenants].sort(([a], [b]) => a.localeCompare(b)))
        byTenant[id] = summarise(totals);
      return { ...summarise(overall), baselineModel, tenants: byTenant };
    },
  };
}

function summarise(totals: Totals): RoutingStatsSnapshot {
  const n = totals.requests;
  const share = (count: number) => (n === 0 ? 0 : count / n);
  const byLevel = {} as Record<ComplexityLevel, Share>;
  for (const level of complexityLevels)
    byLevel[level] = { count: totals.levels[level], share: share(totals.levels[level]) };
  const byModel: Record<string, Share> = {};
  for (const [model, count] of [...totals.models].sort(([a], [b]) => a.localeCompare(b)))
    byModel[model] = { count, share: share(count) };
  const { costMicros, baselineCostMicros } = totals;
  const savings = baselineCostMicros - costMicros;
  return {
    requests: n,
    errors: totals.errors,
    byLevel,
    byModel,
    smallModelShare: share(totals.small),
    cascadeRate: share(totals.cascaded),
    fallbackRate: share(totals.fellBack),
    costMicros,
    baselineCostMicros,
    savingsMicros: savings,
    savingsRate: baselineCostMicros > 0 ? savings / baselineCostMicros : 0,
  };
}
