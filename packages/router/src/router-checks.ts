// Checks of what a caller hands the router's methods. The gateway calls `decide`, `judge` and
// `observe` on every request with values it validated and snapshotted already, so these are the
// cheap kind: typeof and Array.isArray on the fields the router reads, no deep snapshot. Whatever
// reading a caller's value throws beyond them becomes a validation_error (see `readingCaller`).
import {
  type ChatResult,
  expectFunction,
  expectNumber,
  expectObject,
  expectString,
  type JudgeContext,
  type RouteContext,
  readingCaller,
  refuseArgument,
  type TenantPolicy,
} from '@forge1/core';
import { checkEvents, readObserved } from './checked-stats.js';
import type { Router } from './router.js';
import { defaultPreferenceShifts, defaultProfiles } from './select/profiles.js';

const listOrNull = (value: unknown) => value === null || value === undefined || Array.isArray(value);

/** Throws a validation_error naming `fn` unless `policy` has the fields routing reads. */
export function checkPolicy(policy: unknown, fn: string): asserts policy is TenantPolicy {
  expectObject(policy, fn, 'policy');
  expectString(policy.id, fn, 'policy.id');
  if (typeof policy.industry !== 'string' || !Object.hasOwn(defaultProfiles, policy.industry))
    throw refuseArgument(fn, 'policy.industry', 'expected a known industry');
  if (typeof policy.preference !== 'string' || !Object.hasOwn(defaultPreferenceShifts, policy.preference))
    throw refuseArgument(fn, 'policy.preference', 'expected cost, balanced or quality');
  expectObject(policy.budget, fn, 'policy.budget');
  if (!listOrNull(policy.allowedModels))
    throw refuseArgument(fn, 'policy.allowedModels', 'expected an array or null');
  if (!listOrNull(policy.allowedProviders))
    throw refuseArgument(fn, 'policy.allowedProviders', 'expected an array or null');
  if (!listOrNull(policy.regions)) throw refuseArgument(fn, 'policy.regions', 'expected an array or null');
}

/** Throws a validation_error naming `fn` unless `route` is absent or a route context. */
export function checkRoute(route: unknown, fn: string): asserts route is RouteContext | undefined {
  if (route === undefined) return;
  expectObject(route, fn, 'route');
  const { context, remainingBudgetMicros, estimatedInputTokens, headroom, providers } = route;
  expectObject(context, fn, 'route.context');
  if (context.requestId !== undefined) expectString(context.requestId, fn, 'route.context.requestId');
  if (remainingBudgetMicros !== null && remainingBudgetMicros !== undefined)
    expectNumber(remainingBudgetMicros, fn, 'route.remainingBudgetMicros');
  if (estimatedInputTokens !== undefined)
    expectNumber(estimatedInputTokens, fn, 'route.estimatedInputTokens');
  if (headroom !== undefined) expectFunction(headroom, fn, 'route.headroom');
  if (providers !== undefined && !Array.isArray(providers))
    throw refuseArgument(fn, 'route.providers', 'expected an array');
}

/** Throws a validation_error naming `fn` unless the judge's arguments have the fields it reads. */
export function checkJudged(
  result: unknown,
  decision: unknown,
  request: unknown,
  judgeContext: unknown,
  fn: string,
): asserts result is ChatResult {
  expectObject(result, fn, 'result');
  expectString(result.text, fn, 'result.text');
  if (!Array.isArray(result.toolCalls)) throw refuseArgument(fn, 'result.toolCalls', 'expected an array');
  expectObject(decision, fn, 'decision');
  expectObject(request, fn, 'request');
  if (!Array.isArray(request.messages)) throw refuseArgument(fn, 'request.messages', 'expected an array');
  if (judgeContext !== undefined) {
    expectObject(judgeContext, fn, 'judgeContext');
    expectFunction((judgeContext as Partial<JudgeContext>).complete, fn, 'judgeContext.complete');
  }
}

/**
 * The router a host is given: each method checks its arguments before the router's own body runs
 * (`feedback` and `importState` parse theirs already), and turns what reading a caller's value
 * throws into a validation_error naming the method.
 */
export function checkedRouter(router: Router): Router {
  return {
    specificationVersion: router.specificationVersion,
    analyze: (request, context) =>
      readingCaller('router.analyze', () => {
        if (context !== undefined) expectObject(context, 'router.analyze', 'context');
        return router.analyze(request, context);
      }),
    decide: (request, policy, route) =>
      readingCaller('router.decide', () => {
        checkPolicy(policy, 'router.decide');
        checkRoute(route, 'router.decide');
        return router.decide(request, policy, route);
      }),
    judge: (result, decision, request, judgeContext) =>
      readingCaller('router.judge', () => {
        checkJudged(result, decision, request, judgeContext, 'router.judge');
        return router.judge(result, decision, request, judgeContext);
      }),
    feedback: (feedback) => router.feedback(feedback),
    observe: (result) =>
      readingCaller('router.observe', () => router.observe(readObserved(result, 'router.observe'))),
    attach: (events) =>
      readingCaller('router.attach', () => {
        checkEvents(events, 'router.attach');
        return router.attach(events);
      }),
    stats: () => router.stats(),
    exportState: () => router.exportState(),
    importState: (state) => readingCaller('router.importState', () => router.importState(state)),
  };
}
