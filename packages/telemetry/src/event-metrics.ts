import { type Catalog, ErrorCode, type EventBus } from '@forge1/core';
import type { Attributes } from '@opentelemetry/api';
import {
  chatOperation,
  Forge1Attributes as F,
  GenAiAttributes as G,
  genAiProviderName,
} from './attributes.js';
import type { Instruments } from './instruments.js';

/** Last known state of each circuit and budget, read by the observable gauges. */
export interface ObservedState {
  /** `provider\u0000model` → 0 closed, 1 half-open, 2 open. */
  circuits: Map<string, { provider: string; model: string; state: number }>;
  /** tenant → share of the period's budget spent at the last alert. */
  budgets: Map<string, { tenant: string; period: string; utilization: number }>;
}

/** Creates an empty {@link ObservedState}. */
export function createObservedState(): ObservedState {
  return { circuits: new Map(), budgets: new Map() };
}

/** What {@link recordEventMetrics} needs besides the bus. */
export interface EventMetricsOptions {
  instruments: Instruments;
  state: ObservedState;
  /** Model tiers (`small`, `standard`, `advanced`) for the SLM share. */
  catalog?: Pick<Catalog, 'get'>;
  /** The tenant tier of a request in flight, when the middleware has seen it. */
  tierOf?: (requestId: string) => string | undefined;
  /** A lease that waited at least this long was held back by the pool: a 429 avoided. @default 10 */
  heldBackMs?: number;
}

/**
 * Attribute sets by a key of their values: a request records the same few sets over and over, and
 * building each object anew (then hashing it in the SDK) is most of a record's cost on our side.
 * The objects are frozen, so one shared set can never be changed by a later record.
 */
function attributeSets(maxSets = 4096) {
  const sets = new Map<string, Attributes>();
  return (key: string, build: () => Attributes): Attributes => {
    let known = sets.get(key);
    if (known === undefined) {
      if (sets.size >= maxSets) sets.clear();
      known = Object.freeze(build());
      sets.set(key, known);
    }
    return known;
  };
}

const circuitStates = { 'circuit.close': 0, 'circuit.halfOpen': 1, 'circuit.open': 2 } as const;
const circuitNames = { 'circuit.close': 'closed', 'circuit.halfOpen': 'half_open', 'circuit.open': 'open' };

/**
 * Records the metrics that Forge1's events carry: GenAI token usage and attempt durations,
 * requests, routing decisions, cascades, fallbacks, cost, rate limits, key cooldowns,
 * circuits, pool saturation, budget alerts and sink errors. Returns a function that unsubscribes.
 */
export function recordEventMetrics(events: EventBus, options: EventMetricsOptions): () => void {
  const { instruments: m, state, catalog, tierOf } = options;
  const heldBackMs = options.heldBackMs ?? 10;
  const withTier = (requestId: string, attributes: Attributes) => {
    const tier = tierOf?.(requestId);
    if (tier !== undefined) attributes[F.tier] = tier;
    return attributes;
  };
  const set = attributeSets();
  const providerSet = (provider: string) =>
    set(`p\u0000${provider}`, () => ({ [G.providerName]: genAiProviderName(provider) }));
  const attemptSet = (provider: string, model: string, tokenType?: 'input' | 'output') =>
    set(`a\u0000${provider}\u0000${model}\u0000${tokenType ?? ''}`, () => ({
      [G.operationName]: chatOperation,
      [G.providerName]: genAiProviderName(provider),
      [G.requestModel]: model,
      ...(tokenType === undefined ? {} : { [G.tokenType]: tokenType }),
    }));
  const off = [
    events.on('attempt.start', ({ provider, queueWaitMs }) => {
      const attributes = providerSet(provider);
      m.queueWait.record(queueWaitMs / 1000, attributes);
      if (queueWaitMs >= heldBackMs) m.rateLimitsAvoided.add(1, attributes);
    }),
    events.on('attempt', (event) => {
      const duration = event.ok
        ? attemptSet(event.provider, event.model)
        : { ...attemptSet(event.provider, event.model), [G.errorType]: event.errorCode ?? '_OTHER' };
      m.operationDuration.record(event.latencyMs / 1000, duration);
      if (event.ok && event.usage) {
        m.tokenUsage.record(event.usage.inputTokens, attemptSet(event.provider, event.model, 'input'));
        m.tokenUsage.record(event.usage.outputTokens, attemptSet(event.provider, event.model, 'output'));
      }
      if (event.errorCode === ErrorCode.rateLimited) {
        m.rateLimited.add(1, {
          [G.providerName]: genAiProviderName(event.provider),
          ...(event.keyId === undefined ? {} : { [F.keyId]: event.keyId }),
        });
      }
    }),
    events.on('route', ({ requestId, tenantId, decision }) => {
      const tier = tierOf?.(requestId);
      const { level, provider, model } = decision;
      m.routerDecisions.add(
        1,
        set(`r\u0000${tenantId}\u0000${level}\u0000${provider}\u0000${model}\u0000${tier ?? ''}`, () => {
          const modelTier = catalog?.get(model)?.tier;
          return {
            [F.tenant]: tenantId,
            [F.level]: level,
            [G.providerName]: genAiProviderName(provider),
            [G.requestModel]: model,
            ...(modelTier === undefined ? {} : { [F.modelTier]: modelTier }),
            ...(tier === undefined ? {} : { [F.tier]: tier }),
          };
        }),
      );
    }),
    events.on('cascade', ({ requestId, tenantId, from, to }) => {
      m.cascades.add(
        1,
        withTier(requestId, { [F.tenant]: tenantId, [F.fromModel]: from.model, [F.toModel]: to.model }),
      );
    }),
    events.on('fallback', ({ requestId, tenantId, from, to, errorCode }) => {
      m.fallbacks.add(
        1,
        withTier(requestId, {
          [F.tenant]: tenantId,
          [F.fromProvider]: genAiProviderName(from.provider),
          [F.toProvider]: genAiProviderName(to.provider),
          [G.errorType]: errorCode,
        }),
      );
    }),
    events.on('request.done', (event) => {
      const { tenantId, level, cascaded, fellBack } = event;
      // The middleware's tier wins over the event's, in the event's place when it has one.
      const middlewareTier = tierOf?.(event.requestId);
      const first = event.tier === undefined ? undefined : (middlewareTier ?? event.tier);
      const last = event.tier === undefined ? middlewareTier : undefined;
      const attributes = set(
        `d\u0000${tenantId}\u0000${level}\u0000${cascaded}\u0000${fellBack}\u0000${first ?? ''}\u0000${last ?? ''}`,
        () => ({
          ...(first === undefined ? {} : { [F.tier]: first }),
          [F.tenant]: tenantId,
          [F.level]: level,
          [F.outcome]: 'ok',
          [F.cascaded]: cascaded,
          [F.fallback]: fellBack,
          ...(last === undefined ? {} : { [F.tier]: last }),
        }),
      );
      m.requests.add(1, attributes);
      m.requestDuration.record(event.latencyMs / 1000, attributes);
    }),
    events.on('request.error', ({ requestId, tenantId, errorCode }) => {
      m.requests.add(
        1,
        withTier(requestId, { [F.tenant]: tenantId, [F.outcome]: 'error', [G.errorType]: errorCode }),
      );
    }),
    events.on('usage', ({ record }) => {
      const { tenantId, level, provider, model } = record;
      m.cost.add(
        record.costMicros,
        set(`u\u0000${tenantId}\u0000${level}\u0000${provider}\u0000${model}`, () => ({
          [F.tenant]: tenantId,
          [F.level]: level,
          [G.providerName]: genAiProviderName(provider),
          [G.requestModel]: model,
        })),
      );
    }),
    events.on('key.cooldown', ({ keyId, provider, reason }) => {
      m.keyCooldowns.add(1, {
        [F.keyId]: keyId,
        [G.providerName]: genAiProviderName(provider),
        [F.reason]: reason,
      });
    }),
    events.on('key.disabled', ({ keyId, provider, reason }) => {
      m.keyDisabled.add(1, {
        [F.keyId]: keyId,
        [G.providerName]: genAiProviderName(provider),
        [F.reason]: reason,
      });
    }),
    ...(['circuit.close', 'circuit.halfOpen', 'circuit.open'] as const).map((name) =>
      events.on(name, ({ provider, model }) => {
        state.circuits.set(`${provider}\u0000${model}`, { provider, model, state: circuitStates[name] });
        m.circuitTransitions.add(1, {
          [G.providerName]: genAiProviderName(provider),
          [G.requestModel]: model,
          [F.circuitState]: circuitNames[name],
        });
      }),
    ),
    events.on('pool.saturated', ({ provider }) => {
      m.poolSaturations.add(1, { [G.providerName]: genAiProviderName(provider) });
    }),
    events.on('budget.alert', ({ tenantId, period, threshold, spentMicros, budgetMicros }) => {
      state.budgets.set(tenantId, {
        tenant: tenantId,
        period,
        utilization: budgetMicros > 0 ? spentMicros / budgetMicros : 1,
      });
      m.budgetAlerts.add(1, { [F.tenant]: tenantId, [F.threshold]: threshold });
    }),
    events.on('sink.error', ({ sink, errorCode }) => {
      m.sinkErrors.add(1, { [F.sink]: sink, [G.errorType]: errorCode });
    }),
  ];
  return () => {
    for (const unsubscribe of off) unsubscribe();
  };
}
