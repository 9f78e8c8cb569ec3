import { type Catalog, costOf as costOfPrices, type ModelPrices } from '../catalog.js';
import { BudgetExceededError } from '../errors.js';
import type { GuardV1 } from '../ports/guard.js';
import type { KeyPoolV1 } from '../ports/key-pool.js';
import type { RouteContextV1, RouteDecision, RouterV1 } from '../ports/router.js';
import type { TenantResolver } from '../ports/tenant-resolver.js';
import type { TenantPolicy } from '../tenancy.js';
import type { TokenEstimate, TokenEstimator } from '../tokens.js';
import type { Emit } from './emit.js';
import { type GatewayChatInput, toChatRequest } from './input.js';
import type { GatewayMiddleware } from './middleware.js';
import { startMiddleware } from './middleware-run.js';
import type { Prepared, Run } from './run.js';
import { restrictDecision, type UsableProviders } from './wiring.js';

/** What `prepare` works with. */
export interface PrepareDeps {
  tenants: TenantResolver;
  router: RouterV1;
  keys: KeyPoolV1;
  guard: GuardV1 | undefined;
  catalog: Catalog;
  estimator: TokenEstimator;
  middleware: readonly GatewayMiddleware<unknown>[];
  adapters: ReadonlySet<string>;
  usable: () => UsableProviders;
  emit: Emit;
}

/** The `prepare` step: tenant, middleware's request, estimate, guard check, route, reserve. */
export function createPrepare(deps: PrepareDeps) {
  const { tenants, router, keys, guard, catalog, emit } = deps;

  // Prices of the models a policy allows on configured providers, by policy object (stores
  // hand out the same frozen policy until it changes), and the minimum of the last estimate
  // priced: requests of one tenant often share an estimate.
  const allowed = new WeakMap<
    TenantPolicy,
    { prices: ModelPrices[]; input: number; output: number; minimum: number }
  >();
  function minimumCost(policy: TenantPolicy, estimate: TokenEstimate): number {
    let entry = allowed.get(policy);
    if (!entry) {
      const prices = catalog
        .list({
          ...(policy.allowedModels ? { ids: policy.allowedModels } : {}),
          ...(policy.allowedProviders ? { providers: policy.allowedProviders } : {}),
        })
        .filter((m) => deps.adapters.has(m.provider))
        .map((m) => m.prices);
      entry = { prices, input: -1, output: -1, minimum: 0 };
      allowed.set(policy, entry);
    }
    if (entry.input === estimate.input && entry.output === estimate.output) return entry.minimum;
    const usage = { inputTokens: estimate.input, outputTokens: estimate.output, cachedInputTokens: 0 };
    let minimum = Number.POSITIVE_INFINITY;
    for (const price of entry.prices) minimum = Math.min(minimum, costOfPrices(price, usage));
    entry.minimum = entry.prices.length ? minimum : 0;
    entry.input = estimate.input;
    entry.output = estimate.output;
    return entry.minimum;
  }

  /**
   * Everything before the first provider call. The guard's grant is stored on the run the
   * moment the check passes, so that any later failure settles it.
   */
  return async function prepare(run: Run, input: GatewayChatInput): Promise<Prepared> {
    const { context } = run;
    const policy = await tenants.resolve(context.tenantId);
    let request = toChatRequest(input);
    // The tenant's prompt caching applies unless the request chose its own.
    if (policy.promptCache && request.cache === undefined)
      request = { ...request, cache: policy.promptCache };
    if (deps.middleware.length) {
      run.middleware = startMiddleware(
        deps.middleware,
        { context, policy, mode: run.mode, signal: run.signal, decision: () => run.decision },
        emit,
      );
      request = await run.middleware.transformRequest(request);
    }
    const estimate = deps.estimator(request);
    const grant = guard
      ? await guard.check({
          policy,
          context,
          minimumCostMicros: minimumCost(policy, estimate),
          estimatedTokens: estimate.input + estimate.output,
        })
      : null;
    run.grant = grant;
    const usable = deps.usable();
    const headroom = keys.headroom
      ? (provider: string) =>
          keys.headroom?.(provider, policy.regions ?? undefined, policy.tier, policy.id) ?? 1
      : undefined;
    // A router that decides synchronously (the built-in one does) is not awaited: no promise and
    // no turn of the microtask queue per request for a decision already made.
    const route = (remainingBudgetMicros: number | null): RouteDecision | Promise<RouteDecision> => {
      const routeContext: RouteContextV1 = {
        context,
        remainingBudgetMicros,
        estimatedInputTokens: estimate.input,
        providers: usable.list,
      };
      if (headroom) routeContext.headroom = headroom;
      const decided = router.decide(request, policy, routeContext);
      if (decided instanceof Promise) return decided.then((awaited) => restrictDecision(awaited, usable));
      // Another thenable is awaited as before (its `then` read once, as `await` reads it).
      const then =
        typeof decided === 'object' && decided !== null ? (decided as { then?: unknown }).then : undefined;
      if (typeof then === 'function') {
        return new Promise<RouteDecision>((resolve, reject) => {
          then.call(decided, resolve, reject);
        }).then((awaited) => restrictDecision(awaited, usable));
      }
      return restrictDecision(decided, usable);
    };
    const routed = route(grant?.remainingBudgetMicros ?? null);
    let decision = routed instanceof Promise ? await routed : routed;
    if (grant && guard?.reserve && grant.remainingBudgetMicros !== null) {
      try {
        await guard.reserve(grant, decision.estimatedCostMicros);
      } catch (error) {
        // Concurrent requests spent part of the budget since the check: route again within
        // what is left (the router downgrades or refuses, as the policy says), once.
        if (!BudgetExceededError.is(error)) throw error;
        const { limit, used } = error;
        decision = await route(Math.max(0, (limit ?? 0) - (used ?? 0)));
        await guard.reserve(grant, decision.estimatedCostMicros);
      }
    }
    run.decision = decision;
    if (emit.wants('route'))
      emit('route', { requestId: context.requestId, tenantId: context.tenantId, decision });
    return { request, policy, estimate, decision };
  };
}
