import {
  asInputError,
  expectFunction,
  expectObject,
  type RouterV1,
  readOptions,
  toForge1Error,
} from '@forge1/core';
import { type MeterProvider, metrics } from '@opentelemetry/api';
import { createAttributeSets } from './attribute-sets.js';
import { Forge1Attributes as F, GenAiAttributes as G } from './attributes.js';
import { createDecisionHistogram, isNoopMeter } from './instruments.js';
import { instrumentationScope } from './scope.js';

/** Options of {@link instrumentRouter}. */
export interface InstrumentRouterOptions {
  /** Where the decision latency goes. @default the global meter provider of `@opentelemetry/api` */
  meterProvider?: MeterProvider;
  /** Milliseconds from a monotonic origin. @default performance.now */
  now?: () => number;
}

/**
 * A router that records how long each `decide` takes (`forge1.router.decision.duration`, seconds,
 * by tenant tier, level and outcome) and otherwise behaves as `router`: its other members are
 * reached through the prototype chain, and a synchronous `decide` stays synchronous.
 * Pass the result to `createGateway({ router })`.
 * @example
 * ```ts
 * const gateway = createGateway({ router: instrumentRouter(createRouter({ providers }), { meterProvider }), … });
 * ```
 */
export function instrumentRouter<R extends RouterV1>(router: R, input: InstrumentRouterOptions = {}): R {
  expectObject(router, 'instrumentRouter', 'router');
  try {
    expectFunction(router.decide, 'instrumentRouter', 'router.decide');
  } catch (thrown) {
    throw asInputError(thrown, 'instrumentRouter');
  }
  const options = readOptions(input, 'instrumentRouter');
  const now = options.now ?? (() => performance.now());
  const meter = (options.meterProvider ?? metrics.getMeterProvider()).getMeter(instrumentationScope);
  // A no-op meter records nothing: the router is then only wrapped, with no clock read per decision.
  if (isNoopMeter(meter)) {
    const passThrough: RouterV1['decide'] = (request, policy, route) => router.decide(request, policy, route);
    return Object.create(router, { decide: { value: passThrough, enumerable: true } }) as R;
  }
  const histogram = createDecisionHistogram(meter);
  // The attribute set of each tier and level decided, built once (frozen: the SDK keeps it).
  const decidedSets = createAttributeSets(
    (tier: string, level: string) => ({ [F.tier]: tier, [F.outcome]: 'ok', [F.level]: level }),
    256,
  );
  // The tier of a policy the router refused, which may be anything a caller passed.
  const tierOf = (policy: unknown): string => {
    try {
      const tier = (policy as { tier?: unknown } | null | undefined)?.tier;
      return typeof tier === 'string' ? tier : 'unknown';
    } catch {
      return 'unknown';
    }
  };
  const failed = (started: number, policy: unknown, error: unknown): never => {
    histogram.record((now() - started) / 1000, {
      [F.tier]: tierOf(policy),
      [F.outcome]: 'error',
      [G.errorType]: toForge1Error(error).code,
    });
    throw error;
  };
  // A synchronous decision allocates nothing here: no closure, no attribute set after the first.
  const decide: RouterV1['decide'] = (request, policy, route) => {
    const started = now();
    let decided: ReturnType<RouterV1['decide']>;
    try {
      decided = router.decide(request, policy, route);
    } catch (error) {
      return failed(started, policy, error);
    }
    if (decided instanceof Promise) {
      return decided.then(
        (decision) => {
          histogram.record((now() - started) / 1000, decidedSets.get(policy.tier, decision.level));
          return decision;
        },
        (error: unknown) => failed(started, policy, error),
      );
    }
    histogram.record((now() - started) / 1000, decidedSets.get(policy.tier, decided.level));
    return decided;
  };
  return Object.create(router, { decide: { value: decide, enumerable: true } }) as R;
}
