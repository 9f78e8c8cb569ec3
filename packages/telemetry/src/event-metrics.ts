import { type Catalog, ErrorCode, type EventBus } from '@forge1/core';
import type { Attributes } from '@opentelemetry/api';
import { createAttributeSets } from './attribute-sets.js';
import {
  chatOperation,
  Forge1Attributes as F,
  GenAiAttributes as G,
  genAiProviderName,
} from './attributes.js';
import type { Instruments } from './instruments.js';
import { immediateCounts, type PendingCounts } from './pending-counts.js';

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
  /**
   * Where the counters a request always bumps (requests, router decisions, cost) are summed
   * until a collection flushes them. @default none: each is added to its counter at once
   */
  counts?: PendingCounts;
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
  const counts = options.counts ?? immediateCounts;
  const providerSets = createAttributeSets((provider: string) => ({
    [G.providerName]: genAiProviderName(provider),
  }));
  // The three sets of an attempt that answered, looked up once per attempt.
  const attemptSets = createAttributeSets((provider: string, model: string) => {
    const common = {
      [G.operationName]: chatOperation,
      [G.providerName]: genAiProviderName(provider),
      [G.requestModel]: model,
    };
    return {
      duration: Object.freeze(common),
      input: Object.freeze({ ...common, [G.tokenType]: 'input' }),
      output: Object.freeze({ ...common, [G.tokenType]: 'output' }),
    };
  });
  const failedSets = createAttributeSets((provider: string, model: string, errorType: string) => ({
    ...attemptSets.get(provider, model).duration,
    [G.errorType]: errorType,
  }));
  const routeSets = createAttributeSets(
    (tenantId: string, level: string, provider: string, model: string, tier: string | undefined) => {
      const modelTier = catalog?.get(model)?.tier;
      return {
        [F.tenant]: tenantId,
        [F.level]: level,
        [G.providerName]: genAiProviderName(provider),
        [G.requestModel]: model,
        ...(modelTier === undefined ? {} : { [F.modelTier]: modelTier }),
        ...(tier === undefined ? {} : { [F.tier]: tier }),
      };
    },
  );
  const doneSets = createAttributeSets(
    (
      tenantId: string,
      level: string,
      cascaded: boolean,
      fellBack: boolean,
      first: string | undefined,
      last: string | undefined,
    ) => ({
      ...(first === undefined ? {} : { [F.tier]: first }),
      [F.tenant]: tenantId,
      [F.level]: level,
      [F.outcome]: 'ok',
      [F.cascaded]: cascaded,
      [F.fallback]: fellBack,
      ...(last === undefined ? {} : { [F.tier]: last }),
    }),
  );
  const usageSets = createAttributeSets(
    (tenantId: string, level: string | undefined, provider: string, model: string) => ({
      [F.tenant]: tenantId,
      [F.level]: level,
      [G.providerName]: genAiProviderName(provider),
      [G.requestModel]: model,
    }),
  );
  const off = [
    events.on('attempt.start', ({ provider, queueWaitMs }) => {
      const attributes = providerSets.get(provider);
      m.queueWait.record(queueWaitMs / 1000, attributes);
      if (queueWaitMs >= heldBackMs) m.rateLimitsAvoided.add(1, attributes);
    }),
    events.on('attempt', (event) => {
      const { provider, model } = event;
      const sets = attemptSets.get(provider, model);
      const duration = event.ok
        ? sets.duration
        : failedSets.get(provider, model, event.errorCode ?? '_OTHER');
      m.operationDuration.record(event.latencyMs / 1000, duration);
      if (event.ok && event.usage) {
        m.tokenUsage.record(event.usage.inputTokens, sets.input);
        m.tokenUsage.record(event.usage.outputTokens, sets.output);
      }
      if (event.errorCode === ErrorCode.rateLimited) {
        m.rateLimited.add(1, {
          [G.providerName]: genAiProviderName(provider),
          ...(event.keyId === undefined ? {} : { [F.keyId]: event.keyId }),
        });
      }
    }),
    events.on('route', ({ requestId, tenantId, decision }) => {
      const { level, provider, model } = decision;
      counts.add(m.routerDecisions, 1, routeSets.get(tenantId, level, provider, model, tierOf?.(requestId)));
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
      const attributes = doneSets.get(tenantId, level, cascaded, fellBack, first, last);
      counts.add(m.requests, 1, attributes);
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
      counts.add(m.cost, record.costMicros, usageSets.get(tenantId, level, provider, model));
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
