import {
  asInputError,
  type Catalog,
  type EventBus,
  expectFunction,
  expectObject,
  readOptions,
} from '@forge1/core';
import { type MeterProvider, metrics } from '@opentelemetry/api';
import { type BudgetSource, type GuardUsageSource, observeBudgets } from './budget-gauges.js';
import { createObservedState, recordEventMetrics } from './event-metrics.js';
import { createInstruments, isNoopMeter } from './instruments.js';
import { type KeyPoolStatsSource, type MeterStatsSource, observeGauges } from './observed-gauges.js';
import { createPendingCounts } from './pending-counts.js';
import { instrumentationScope } from './scope.js';

/** What {@link instrument} needs from a gateway: its events and, for model tiers, its catalog. */
export interface InstrumentedGateway {
  readonly events: EventBus;
  readonly catalog?: Pick<Catalog, 'get'>;
}

/** Options of {@link instrument}. */
export interface InstrumentOptions {
  /** Where metrics go. @default the global meter provider of `@opentelemetry/api` */
  meterProvider?: MeterProvider;
  /** A key pool whose `stats()` feed the key utilisation, state and queue depth gauges. */
  keyPool?: KeyPoolStatsSource;
  /** A usage meter whose `stats()` feed the sink lag, journal size and buffered gauges. */
  meter?: MeterStatsSource;
  /**
   * A key lease that waited at least this long was held back by the pool until a key had capacity,
   * counted in `forge1.key.rate_limits_avoided`. @default 10
   */
  heldBackMs?: number;
  /**
   * A guard whose `usage(tenant)` feeds `forge1.budget.spent` and, with `tenants`,
   * `forge1.budget.utilization` at each collection (`@forge1/metering`'s `createGuard()` fits).
   * Without it, `forge1.budget.utilization` is the share spent at the last budget alert.
   */
  guard?: GuardUsageSource;
  /** Where monthly budgets are read, for `forge1.budget.utilization` (a `TenantDirectory` fits). */
  tenants?: BudgetSource;
}

/** A running instrumentation; `stop()` unsubscribes from the events and unregisters the gauges. */
export interface Instrumentation {
  stop(): void;
}

/**
 * Records OpenTelemetry metrics from a gateway's events: GenAI token usage and operation
 * duration, requests, router decisions, cascades, fallbacks, cost per tenant, rate limits,
 * key cooldowns, circuit state and budget alerts; with `keyPool` and `meter`, gauges over their stats.
 * @example
 * ```ts
 * const telemetry = instrument(gateway, { meterProvider, keyPool: keys, meter: usageMeter });
 * // …
 * telemetry.stop();
 * ```
 */
export function instrument(gateway: InstrumentedGateway, input: InstrumentOptions = {}): Instrumentation {
  expectObject(gateway, 'instrument', 'gateway');
  const options = readOptions(input, 'instrument');
  try {
    expectObject(gateway.events, 'instrument', 'gateway.events');
    expectFunction(gateway.events.on, 'instrument', 'gateway.events.on');
  } catch (thrown) {
    throw asInputError(thrown, 'instrument');
  }
  const meter = (options.meterProvider ?? metrics.getMeterProvider()).getMeter(instrumentationScope);
  // Nothing a no-op meter is given is ever recorded: no event is listened to, no gauge registered.
  if (isNoopMeter(meter)) return { stop() {} };
  const state = createObservedState();
  // Summed between collections; the gauges' callback, which every collection runs before it
  // reads the synchronous instruments, adds the sums to the counters.
  const counts = createPendingCounts();
  const unsubscribe = recordEventMetrics(gateway.events, {
    instruments: createInstruments(meter),
    state,
    counts,
    ...(gateway.catalog ? { catalog: gateway.catalog } : {}),
    ...(options.heldBackMs === undefined ? {} : { heldBackMs: options.heldBackMs }),
  });
  const unobserve = observeGauges(meter, {
    state,
    beforeObserve: counts.flush,
    keyPool: options.keyPool,
    meter: options.meter,
    budgetsFromAlerts: options.guard === undefined,
  });
  const unobserveBudgets = options.guard
    ? observeBudgets(meter, gateway.events, options.guard, options.tenants)
    : () => {};
  let stopped = false;
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      unsubscribe();
      counts.flush();
      unobserve();
      unobserveBudgets();
    },
  };
}
