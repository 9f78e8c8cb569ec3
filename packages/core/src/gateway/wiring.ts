import type { Clock } from '../clock.js';
import { ConfigurationError, ValidationError, type ValidationIssue } from '../errors.js';
import { assertSpecificationV1 } from '../plugins.js';
import type { KeyPoolV1 } from '../ports/key-pool.js';
import type { ModelRef, RouteDecision, RouteRung } from '../ports/router.js';
import type { GatewayMiddleware } from './middleware.js';
import type { GatewayOptions } from './types.js';

/** Providers the gateway can call now: an adapter, and keys when the pool says which it has. */
export interface UsableProviders {
  readonly list: readonly string[];
  readonly set: ReadonlySet<string>;
}

const hooks = [
  'createState',
  'transformRequest',
  'wrapAttempt',
  'transformChunk',
  'flush',
  'onResult',
] as const;

/** Providers of the pool's keys that are not retired, or undefined when the pool cannot say. */
export function keyedProviders(keys: KeyPoolV1): Map<string, string[]> | undefined {
  let stats: ReturnType<KeyPoolV1['stats']>;
  try {
    stats = keys.stats();
  } catch {
    return undefined;
  }
  const byProvider = new Map<string, string[]>();
  for (const key of stats?.keys ?? []) {
    if (key.state === 'retired') continue;
    const ids = byProvider.get(key.provider) ?? [];
    ids.push(key.keyId);
    byProvider.set(key.provider, ids);
  }
  // A pool that lists no key at all may lend keys it does not list (test doubles, lazy pools).
  return byProvider.size ? byProvider : undefined;
}

function checkMiddleware(list: readonly GatewayMiddleware<unknown>[] | undefined): void {
  if (list === undefined) return;
  const issues: ValidationIssue[] = [];
  if (!Array.isArray(list)) issues.push({ path: 'middleware', message: 'expected an array' });
  else {
    list.forEach((middleware, index) => {
      if (typeof middleware !== 'object' || middleware === null || typeof middleware.name !== 'string') {
        issues.push({ path: `middleware.${index}`, message: 'expected an object with a name' });
        return;
      }
      for (const hook of hooks) {
        const value = middleware[hook];
        if (value !== undefined && typeof value !== 'function') {
          issues.push({ path: `middleware.${index}.${hook}`, message: 'expected a function' });
        }
      }
    });
  }
  if (issues.length) throw new ValidationError('gateway options', issues);
}

/**
 * Checks every plug-in's version and the wiring between adapters and keys.
 * @throws ValidationError for a plug-in that is not v1; ConfigurationError when no provider has
 * both an adapter and keys.
 */
export function checkWiring(options: GatewayOptions): void {
  assertSpecificationV1('router', options.router);
  assertSpecificationV1('key pool', options.keys);
  if (options.meter !== undefined) assertSpecificationV1('meter', options.meter);
  if (options.guard !== undefined) assertSpecificationV1('guard', options.guard);
  if (typeof options.tenants?.resolve !== 'function') {
    throw new ValidationError('gateway options', [
      { path: 'tenants', message: 'expected a resolve() function' },
    ]);
  }
  checkMiddleware(options.middleware);
  const adapters = Object.keys(options.providers ?? {});
  if (adapters.length === 0) {
    throw new ConfigurationError('createGateway was given no provider adapter', {
      issues: [{ path: 'providers', message: 'at least one adapter is required' }],
    });
  }
  const keyed = keyedProviders(options.keys);
  if (!keyed || adapters.some((provider) => keyed.has(provider))) return;
  const issues = [...keyed].map(([provider, ids]) => ({
    path: `keys.${provider}`,
    message: `keys ${ids.join(', ')} have no adapter for provider "${provider}"`,
  }));
  throw new ConfigurationError(
    `No provider has both an adapter and keys: ${issues.map((issue) => issue.message).join('; ')}; adapters for ${adapters.join(', ')}`,
    { issues },
  );
}

/** The usable providers, read from the pool at most once a second (keys come and go). */
export function createProviderView(adapters: readonly string[], keys: KeyPoolV1, clock: Clock) {
  let current: UsableProviders | undefined;
  let readAt = Number.NEGATIVE_INFINITY;
  return (): UsableProviders => {
    const now = clock.now();
    if (current && now - readAt < 1000) return current;
    readAt = now;
    const keyed = keyedProviders(keys);
    const list = keyed ? adapters.filter((provider) => keyed.has(provider)) : adapters;
    if (!current || list.length !== current.list.length || list.some((p, i) => p !== current?.list[i])) {
      current = { list: Object.freeze([...list]), set: new Set(list) };
    }
    return current;
  };
}

const usableRung = (rung: RouteRung, usable: UsableProviders): RouteRung | undefined => {
  const candidates: ModelRef[] = [rung, ...rung.fallbacks].filter((ref) => usable.set.has(ref.provider));
  const [first, ...fallbacks] = candidates;
  return first ? { provider: first.provider, model: first.model, fallbacks } : undefined;
};

/**
 * The decision without the models of providers the gateway cannot call; the first usable
 * fallback takes the place of an unusable choice.
 * @throws ConfigurationError when no model of the routed rung is usable.
 */
export function restrictDecision(decision: RouteDecision, usable: UsableProviders): RouteDecision {
  const all = (rung: RouteRung) =>
    usable.set.has(rung.provider) && rung.fallbacks.every((ref) => usable.set.has(ref.provider));
  if (all(decision) && decision.ladder.every(all)) return decision;
  const first = usableRung(decision, usable);
  if (!first) {
    throw new ConfigurationError(
      `The router chose ${decision.provider}/${decision.model}, and no provider of it or its fallbacks has both an adapter and keys`,
      { provider: decision.provider, model: decision.model },
    );
  }
  const ladder = decision.ladder.map((rung) => usableRung(rung, usable)).filter((rung) => rung !== undefined);
  return { ...decision, ...first, ladder };
}
