import { type Counter, createNoopMeter, type Histogram, type Meter } from '@opentelemetry/api';

/** Names of the metrics Forge1 telemetry records. */
export const MetricNames = Object.freeze({
  /** GenAI semantic conventions: tokens per provider attempt, by `gen_ai.token.type`. */
  tokenUsage: 'gen_ai.client.token.usage',
  /** GenAI semantic conventions: duration of one provider attempt, seconds. */
  operationDuration: 'gen_ai.client.operation.duration',
  /** Duration of a whole gateway request (routing, every attempt, cascades), seconds. */
  requestDuration: 'forge1.request.duration',
  /** Requests answered or failed, by tenant, level and outcome. */
  requests: 'forge1.requests',
  /** Time the router took to decide, seconds. */
  routerDecisionDuration: 'forge1.router.decision.duration',
  /** Router decisions by tier, level, chosen model and model tier. */
  routerDecisions: 'forge1.router.decisions',
  cascades: 'forge1.cascades',
  fallbacks: 'forge1.fallbacks',
  /** Cost of the attempts that consumed tokens, micro-dollars. */
  cost: 'forge1.cost',
  /** Provider attempts refused with a rate limit (429). */
  rateLimited: 'forge1.key.rate_limited',
  /** Acquisitions the pool held back in its queue instead of sending them to a key over its limit. */
  rateLimitsAvoided: 'forge1.key.rate_limits_avoided',
  /** Wait for a key lease before a provider attempt, seconds. */
  queueWait: 'forge1.key.queue.wait',
  keyCooldowns: 'forge1.key.cooldowns',
  keyDisabled: 'forge1.key.disabled',
  keyUtilization: 'forge1.key.utilization',
  keyInFlight: 'forge1.key.in_flight',
  keyState: 'forge1.key.state',
  queueDepth: 'forge1.key.queue.depth',
  providerUtilization: 'forge1.pool.utilization',
  poolSaturations: 'forge1.pool.saturations',
  circuitState: 'forge1.circuit.state',
  circuitTransitions: 'forge1.circuit.transitions',
  budgetUtilization: 'forge1.budget.utilization',
  budgetSpent: 'forge1.budget.spent',
  budgetAlerts: 'forge1.budget.alerts',
  sinkLag: 'forge1.meter.sink.lag',
  sinkErrors: 'forge1.meter.sink.errors',
  journalSize: 'forge1.meter.journal.size',
  buffered: 'forge1.meter.buffered',
} as const);

// Bucket boundaries the GenAI conventions ask for.
const tokenBuckets = [
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
];
const durationBuckets = [
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
];
// Routing runs in-process: microseconds to milliseconds.
const decisionBuckets = [0.00001, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.1];

/** The synchronous instruments, created once per meter. */
export interface Instruments {
  tokenUsage: Histogram;
  operationDuration: Histogram;
  requestDuration: Histogram;
  requests: Counter;
  routerDecisions: Counter;
  cascades: Counter;
  fallbacks: Counter;
  cost: Counter;
  rateLimited: Counter;
  rateLimitsAvoided: Counter;
  queueWait: Histogram;
  keyCooldowns: Counter;
  keyDisabled: Counter;
  poolSaturations: Counter;
  circuitTransitions: Counter;
  budgetAlerts: Counter;
  sinkErrors: Counter;
}

/** Creates the synchronous instruments on `meter`. */
export function createInstruments(meter: Meter): Instruments {
  const counter = (name: string, description: string, unit: string) =>
    meter.createCounter(name, { description, unit });
  return {
    tokenUsage: meter.createHistogram(MetricNames.tokenUsage, {
      description: 'Number of input and output tokens used.',
      unit: '{token}',
      advice: { explicitBucketBoundaries: tokenBuckets },
    }),
    operationDuration: meter.createHistogram(MetricNames.operationDuration, {
      description: 'GenAI operation duration.',
      unit: 's',
      advice: { explicitBucketBoundaries: durationBuckets },
    }),
    requestDuration: meter.createHistogram(MetricNames.requestDuration, {
      description: 'Duration of a gateway request, every attempt included.',
      unit: 's',
      advice: { explicitBucketBoundaries: durationBuckets },
    }),
    requests: counter(MetricNames.requests, 'Gateway requests, by outcome.', '{request}'),
    routerDecisions: counter(MetricNames.routerDecisions, 'Router decisions.', '{decision}'),
    cascades: counter(MetricNames.cascades, 'Escalations to a stronger model.', '{cascade}'),
    fallbacks: counter(MetricNames.fallbacks, 'Moves to a fallback provider.', '{fallback}'),
    cost: counter(MetricNames.cost, 'Cost of provider attempts, in micro-dollars.', '{microdollar}'),
    rateLimited: counter(MetricNames.rateLimited, 'Attempts refused with a rate limit.', '{attempt}'),
    rateLimitsAvoided: counter(
      MetricNames.rateLimitsAvoided,
      'Acquisitions held in the pool queue until a key had capacity.',
      '{acquisition}',
    ),
    queueWait: meter.createHistogram(MetricNames.queueWait, {
      description: 'Wait for a key lease before a provider attempt.',
      unit: 's',
      advice: { explicitBucketBoundaries: [0, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] },
    }),
    keyCooldowns: counter(MetricNames.keyCooldowns, 'Keys put to cool down.', '{cooldown}'),
    keyDisabled: counter(MetricNames.keyDisabled, 'Keys disabled.', '{key}'),
    poolSaturations: counter(MetricNames.poolSaturations, 'Pool saturation signals.', '{signal}'),
    circuitTransitions: counter(
      MetricNames.circuitTransitions,
      'Circuit breaker transitions.',
      '{transition}',
    ),
    budgetAlerts: counter(MetricNames.budgetAlerts, 'Budget thresholds crossed.', '{alert}'),
    sinkErrors: counter(MetricNames.sinkErrors, 'Failed sink writes.', '{error}'),
  };
}

/** The router decision latency histogram (`forge1.router.decision.duration`, seconds). */
export function createDecisionHistogram(meter: Meter): Histogram {
  return meter.createHistogram(MetricNames.routerDecisionDuration, {
    description: 'Time the router took to choose a model.',
    unit: 's',
    advice: { explicitBucketBoundaries: decisionBuckets },
  });
}

const NoopMeter = createNoopMeter().constructor;

/**
 * Whether `meter` is the OpenTelemetry API's no-op meter, what `getMeter` gives while no SDK is
 * registered. Its instruments record nothing, and never will: a meter does not change provider.
 */
export function isNoopMeter(meter: Meter): boolean {
  return meter instanceof NoopMeter;
}
