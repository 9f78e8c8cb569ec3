import { type GatewayResult, resolveTenantPolicy } from '@forge1/core';
import type { DemoObservations } from './demo.ts';
import { type DemoStack, demoPolicies, demoTenants } from './setup.ts';

/** One tenant's figures in the report. */
export interface TenantSummary {
  id: string;
  name: string;
  tier: string;
  /** Every request the tenant sent: served plus failed. */
  requests: number;
  /** Requests answered. */
  served: number;
  errors: number;
  /** Errors by code. */
  errorCodes: Record<string, number>;
  /** Attempts that consumed tokens: one usage record each. */
  records: number;
  inputTokens: number;
  outputTokens: number;
  costMicros: number;
  budgetMicros: number | null;
  budgetUsed: number | null;
  modelSplit: Record<string, number>;
  cascadeRate: number;
  fallbackRate: number;
  savingsRate: number;
  baselineCostMicros: number;
}

/** The image and embeddings requests in the report. */
export interface ShowcaseSummary {
  image: { tenantId: string; model: string; inputTokens: number; outputTokens: number; costMicros: number };
  embedding: {
    tenantId: string;
    model: string;
    vectors: number;
    dimensions: number;
    inputTokens: number;
    costMicros: number;
  };
}

/** One key's figures in the report. */
export interface KeySummary {
  keyId: string;
  provider: string;
  requests: number;
  rateLimited: number;
  meanUtilisation: number;
  peakUtilisation: number;
  state: string;
}

/** One provider's traffic: attempts its keys served and acquisitions that queued for its headroom. */
export interface ProviderSummary {
  provider: string;
  keys: number;
  served: number;
  queued: number;
}

/** The whole report, computed from what the demo observed in memory. */
export interface DemoSummary {
  durationMs: number;
  requests: number;
  tenants: TenantSummary[];
  keys: KeySummary[];
  /** 429s the emulator actually answered. */
  providerRateLimits: number;
  /** Acquisitions the pool queued until a key had headroom (its own count, not a timing guess). */
  heldBack: number;
  /** Served and queued requests per provider with keys. */
  providers: ProviderSummary[];
  circuitEvents: DemoObservations['circuitEvents'];
  budgetAlerts: DemoObservations['budgetAlerts'];
  outage: DemoObservations['outage'];
  /** The image request and the embeddings request, as the report shows them. */
  showcase: ShowcaseSummary | null;
  costTimeline: Record<string, number[]>;
  overall: {
    costMicros: number;
    baselineCostMicros: number;
    savingsRate: number;
    smallModelShare: number;
    cascadeRate: number;
    fallbackRate: number;
  };
}

const recordsOf = (result: GatewayResult) =>
  result.attempts.filter((a) => a.usage.inputTokens + a.usage.outputTokens > 0);

/** Builds the report's figures from the in-memory observations and the components' stats. */
export async function summarise(stack: DemoStack, observed: DemoObservations): Promise<DemoSummary> {
  const routing = stack.router.stats();
  const tenants: TenantSummary[] = [];
  for (const tenant of demoTenants) {
    const results = observed.results.filter((r) => r.tenantId === tenant.id);
    const policy = resolveTenantPolicy(demoPolicies().find((p) => p.id === tenant.id));
    const modelSplit: Record<string, number> = {};
    for (const r of results) modelSplit[r.model] = (modelSplit[r.model] ?? 0) + 1;
    // The embeddings call is metered like any other: its records and cost belong to its tenant.
    const embeds = observed.showcase?.embedding.tenantId === tenant.id ? [observed.showcase.embedding] : [];
    const costMicros =
      results.reduce((sum, r) => sum + r.costMicros, 0) + embeds.reduce((sum, e) => sum + e.costMicros, 0);
    const budgetMicros = policy.budget.monthlyMicros;
    const stats = routing.tenants[tenant.id];
    const errorCodes: Record<string, number> = {};
    for (const e of observed.errors)
      if (e.tenant === tenant.id) errorCodes[e.code] = (errorCodes[e.code] ?? 0) + 1;
    tenants.push({
      id: tenant.id,
      name: tenant.name ?? tenant.id,
      tier: tenant.tier,
      requests: results.length + observed.errors.filter((e) => e.tenant === tenant.id).length,
      served: results.length,
      errors: observed.errors.filter((e) => e.tenant === tenant.id).length,
      errorCodes,
      records:
        results.reduce((sum, r) => sum + recordsOf(r).length, 0) +
        embeds.reduce((sum, e) => sum + e.attempts.filter((a) => a.usage.inputTokens > 0).length, 0),
      inputTokens:
        results.reduce((sum, r) => sum + r.totalUsage.inputTokens, 0) +
        embeds.reduce((sum, e) => sum + e.usage.inputTokens, 0),
      outputTokens: results.reduce((sum, r) => sum + r.totalUsage.outputTokens, 0),
      costMicros,
      budgetMicros,
      budgetUsed: budgetMicros ? costMicros / budgetMicros : null,
      modelSplit,
      cascadeRate: results.length ? results.filter((r) => r.cascaded).length / results.length : 0,
      fallbackRate: results.length ? results.filter((r) => r.fellBack).length / results.length : 0,
      savingsRate: stats?.savingsRate ?? 0,
      baselineCostMicros: stats?.baselineCostMicros ?? 0,
    });
  }
  const poolStats = stack.pool.stats();
  const keys: KeySummary[] = poolStats.keys.map((key) => {
    const samples = observed.keyUtilisation[key.keyId] ?? [];
    return {
      keyId: key.keyId,
      provider: key.provider,
      requests: key.requests,
      rateLimited: key.rateLimited,
      meanUtilisation: samples.length ? samples.reduce((a, b) => a + b, 0) / samples.length : 0,
      peakUtilisation: samples.length ? Math.max(...samples) : 0,
      state: key.state,
    };
  });
  const queuedFor = (provider: string) =>
    poolStats.providers.find((entry) => entry.provider === provider)?.waits.queued ?? 0;
  const providers: ProviderSummary[] = [...new Set(keys.map((key) => key.provider))].map((provider) => {
    const own = keys.filter((key) => key.provider === provider);
    return {
      provider,
      keys: own.length,
      served: own.reduce((sum, key) => sum + key.requests, 0),
      queued: queuedFor(provider),
    };
  });
  return {
    durationMs: observed.durationMs,
    requests: observed.results.length + observed.errors.length,
    tenants,
    keys,
    providerRateLimits: stack.emulator?.counters.total().rateLimited ?? 0,
    heldBack: poolStats.providers.reduce((sum, entry) => sum + entry.waits.queued, 0),
    providers,
    circuitEvents: observed.circuitEvents,
    budgetAlerts: observed.budgetAlerts,
    outage: observed.outage,
    showcase: showcaseSummary(observed),
    costTimeline: observed.costTimeline,
    overall: {
      costMicros: routing.costMicros,
      baselineCostMicros: routing.baselineCostMicros,
      savingsRate: routing.savingsRate,
      smallModelShare: routing.smallModelShare,
      cascadeRate: routing.cascadeRate,
      fallbackRate: routing.fallbackRate,
    },
  };
}

function showcaseSummary(observed: DemoObservations): ShowcaseSummary | null {
  const showcase = observed.showcase;
  if (!showcase) return null;
  const { image, embedding } = showcase;
  return {
    image: {
      tenantId: image.tenantId,
      model: `${image.provider}/${image.model}`,
      inputTokens: image.totalUsage.inputTokens,
      outputTokens: image.totalUsage.outputTokens,
      costMicros: image.costMicros,
    },
    embedding: {
      tenantId: embedding.tenantId,
      model: `${embedding.provider}/${embedding.model}`,
      vectors: embedding.embeddings.length,
      dimensions: embedding.embeddings[0]?.length ?? 0,
      inputTokens: embedding.usage.inputTokens,
      costMicros: embedding.costMicros,
    },
  };
}
