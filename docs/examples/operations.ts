// Examples of docs/operations.md: events to metrics and alerts, and a health check. Typechecked, not run.
import type { ResilientAdapter } from '@forge1/adapters';
import { createEventBus, forge1EventNames } from '@forge1/core';
import type { KeyPool } from '@forge1/keypool';
import type { Meter } from '@forge1/metering';

declare const metrics: {
  increment(name: string, value?: number, tags?: Record<string, string>): void;
  histogram(name: string, value: number, tags?: Record<string, string>): void;
};
declare const alert: (message: string) => void;
declare const notifyAccountManager: (tenantId: string, threshold: number) => void;
declare const pool: KeyPool;
declare const meter: Meter;
declare const providers: Record<string, ResilientAdapter>;

// --- events to metrics and alerts
const events = createEventBus(); // pass it to createGateway, createKeyPool, withResilience, createMeter and createGuard
events.on('key.cooldown', ({ keyId, provider }) =>
  metrics.increment('forge1.key.cooldown', 1, { keyId, provider }),
);
events.on('key.disabled', ({ keyId, reason }) => alert(`key ${keyId} disabled (${reason}): rotate it`));
events.on('circuit.open', ({ provider, model }) => alert(`circuit open for ${provider}/${model}`));
events.on('pool.saturated', ({ provider, utilisation }) =>
  alert(`add keys for ${provider}: ${Math.round(utilisation * 100)} % used`),
);
events.on('budget.alert', ({ tenantId, threshold }) => notifyAccountManager(tenantId, threshold));
events.on('request.done', ({ tenantId, model, costMicros, latencyMs, cascaded, fellBack }) => {
  metrics.histogram('forge1.latency_ms', latencyMs, { tenantId, model });
  metrics.increment('forge1.cost_micros', costMicros, { tenantId });
  if (cascaded) metrics.increment('forge1.cascaded', 1, { tenantId });
  if (fellBack) metrics.increment('forge1.fell_back', 1, { tenantId });
});
events.on('request.error', ({ tenantId, errorCode }) =>
  metrics.increment('forge1.errors', 1, { tenantId, errorCode }),
);
events.on('sink.error', ({ sink, attempt }) => {
  if (attempt >= 5) alert(`usage sink ${sink} failing for ${attempt} tries`);
});

// --- every event, to an audit log
for (const name of forge1EventNames) {
  events.on(name, (payload) => console.log(JSON.stringify({ event: name, payload })));
}

// --- a health check: ok, degraded (serving, with a problem) or failing
export function health(): { status: 'ok' | 'degraded' | 'failing'; problems: string[] } {
  const problems: string[] = [];
  const meterStats = meter.stats();
  for (const sink of meterStats.sinks) {
    if (sink.failures > 0)
      problems.push(`sink ${sink.name}: ${sink.failures} failed writes, ${sink.lag} records behind`);
  }
  const poolStats = pool.stats();
  for (const provider of poolStats.providers) {
    const serving = poolStats.keys.filter(
      (key) => key.provider === provider.provider && key.state === 'active',
    );
    if (serving.length === 0) problems.push(`no active key for ${provider.provider}`);
    if (provider.queueDepth > 100)
      problems.push(`${provider.queueDepth} requests waiting for ${provider.provider} keys`);
  }
  for (const adapter of Object.values(providers)) {
    for (const circuit of adapter.circuits()) {
      if (circuit.state === 'open') problems.push(`circuit open: ${circuit.provider}/${circuit.model}`);
    }
  }
  const failing = poolStats.keys.every((key) => key.state === 'disabled' || key.state === 'retired');
  return { status: failing ? 'failing' : problems.length > 0 ? 'degraded' : 'ok', problems };
}
