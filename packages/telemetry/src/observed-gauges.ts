import type { BatchObservableResult, Meter, Observable } from '@opentelemetry/api';
import { Forge1Attributes as F, GenAiAttributes as G, genAiProviderName } from './attributes.js';
import type { ObservedState } from './event-metrics.js';
import { MetricNames } from './instruments.js';

/**
 * What telemetry reads from a key pool: `@forge1/keypool`'s `stats()` fits, and so does any pool
 * with these fields. Per-provider figures are optional.
 */
export interface KeyPoolStatsSource {
  stats(): {
    keys: ReadonlyArray<{
      keyId: string;
      provider: string;
      state: string;
      inFlight: number;
      /** 0..1 of the binding budget (RPM or TPM) over the last minute. */
      utilisation: number;
    }>;
    queueDepth: number;
    providers?: ReadonlyArray<{ provider: string; utilisation: number; queueDepth: number }>;
  };
}

/** What telemetry reads from a meter: `@forge1/metering`'s `createMeter()` fits. */
export interface MeterStatsSource {
  stats(): {
    buffered: number;
    journalBytes: number;
    sinks: ReadonlyArray<{ name: string; lag: number }>;
  };
}

/** Sources of the observable gauges. */
export interface GaugeSources {
  state: ObservedState;
  /** Called at the start of every collection, before any gauge is observed. */
  beforeObserve?: () => void;
  keyPool?: KeyPoolStatsSource | undefined;
  meter?: MeterStatsSource | undefined;
  /** Report `forge1.budget.utilization` from the last budget alerts (when no guard reports it). */
  budgetsFromAlerts: boolean;
}

const keyStates = ['active', 'cooling', 'disabled', 'draining', 'retired'];

/**
 * Registers the observable gauges: key utilisation, in-flight calls, key state and queue depth
 * per key and provider, circuit state, budget utilisation per tenant, sink lag, journal size
 * and buffered records. Every collection reads the sources once. Returns a function that unregisters.
 */
export function observeGauges(meter: Meter, sources: GaugeSources): () => void {
  const gauge = (name: string, description: string, unit: string) =>
    meter.createObservableGauge(name, { description, unit });
  const circuit = gauge(MetricNames.circuitState, 'Circuit state: 0 closed, 1 half-open, 2 open.', '1');
  const budget = sources.budgetsFromAlerts
    ? gauge(MetricNames.budgetUtilization, 'Share of the budget spent at the last alert.', '1')
    : undefined;
  const observables: Observable[] = budget ? [circuit, budget] : [circuit];

  const keyGauges = sources.keyPool
    ? {
        utilization: gauge(MetricNames.keyUtilization, 'Share of a key’s binding rate limit used.', '1'),
        inFlight: gauge(MetricNames.keyInFlight, 'Calls in flight on a key.', '{call}'),
        state: gauge(MetricNames.keyState, 'Key state (1 for the current state).', '1'),
        queue: gauge(MetricNames.queueDepth, 'Requests waiting for a key.', '{request}'),
        provider: gauge(MetricNames.providerUtilization, 'Mean utilisation of a provider’s keys.', '1'),
      }
    : undefined;
  if (keyGauges) observables.push(...Object.values(keyGauges));

  const meterGauges = sources.meter
    ? {
        lag: gauge(MetricNames.sinkLag, 'Records not yet acknowledged by a sink.', '{record}'),
        journal: gauge(MetricNames.journalSize, 'Bytes in the usage journal.', 'By'),
        buffered: gauge(MetricNames.buffered, 'Usage records held in memory.', '{record}'),
      }
    : undefined;
  if (meterGauges) observables.push(...Object.values(meterGauges));

  const observe = (result: BatchObservableResult) => {
    sources.beforeObserve?.();
    for (const { provider, model, state } of sources.state.circuits.values()) {
      result.observe(circuit, state, {
        [G.providerName]: genAiProviderName(provider),
        [G.requestModel]: model,
      });
    }
    if (budget) {
      for (const { tenant, period, utilization } of sources.state.budgets.values()) {
        result.observe(budget, utilization, { [F.tenant]: tenant, [F.period]: period });
      }
    }
    if (keyGauges && sources.keyPool) observePool(result, keyGauges, sources.keyPool);
    if (meterGauges && sources.meter) {
      const stats = sources.meter.stats();
      for (const sink of stats.sinks) result.observe(meterGauges.lag, sink.lag, { [F.sink]: sink.name });
      result.observe(meterGauges.journal, stats.journalBytes);
      result.observe(meterGauges.buffered, stats.buffered);
    }
  };
  meter.addBatchObservableCallback(observe, observables);
  return () => meter.removeBatchObservableCallback(observe, observables);
}

function observePool(
  result: BatchObservableResult,
  gauges: Record<'utilization' | 'inFlight' | 'state' | 'queue' | 'provider', Observable>,
  pool: KeyPoolStatsSource,
) {
  const stats = pool.stats();
  for (const key of stats.keys) {
    const attributes = { [F.keyId]: key.keyId, [G.providerName]: genAiProviderName(key.provider) };
    result.observe(gauges.utilization, key.utilisation, attributes);
    result.observe(gauges.inFlight, key.inFlight, attributes);
    for (const state of keyStates) {
      result.observe(gauges.state, state === key.state ? 1 : 0, { ...attributes, [F.keyState]: state });
    }
  }
  if (stats.providers) {
    for (const provider of stats.providers) {
      const attributes = { [G.providerName]: genAiProviderName(provider.provider) };
      result.observe(gauges.queue, provider.queueDepth, attributes);
      result.observe(gauges.provider, provider.utilisation, attributes);
    }
  } else {
    result.observe(gauges.queue, stats.queueDepth);
  }
}
