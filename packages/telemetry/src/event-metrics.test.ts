import { createEventBus } from '@forge1/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createOtelHarness } from '../test/otel-harness.ts';
import { instrument } from './instrument.js';
import { MetricNames } from './instruments.js';

let harness = createOtelHarness();
afterEach(async () => {
  await harness.shutdown();
  harness = createOtelHarness();
});

const setup = () => {
  const events = createEventBus();
  instrument({ events }, { meterProvider: harness.meterProvider, heldBackMs: 5 });
  return events;
};

const start = {
  requestId: 'r1',
  tenantId: 'acme',
  attempt: 1,
  provider: 'openai',
  model: 'gpt-4.1',
  keyId: 'openai-a',
  cascaded: false,
  fallback: false,
  purpose: 'answer' as const,
};

describe('event metrics', () => {
  it('records the wait for a key lease and counts the leases the pool held back as 429s avoided', async () => {
    const events = setup();
    events.emit('attempt.start', { ...start, queueWaitMs: 0 });
    events.emit('attempt.start', { ...start, queueWaitMs: 4 });
    events.emit('attempt.start', { ...start, queueWaitMs: 250 });
    const [wait] = await harness.metric(MetricNames.queueWait);
    expect(wait).toMatchObject({ unit: 's', attributes: { 'gen_ai.provider.name': 'openai' } });
    expect(wait?.value).toMatchObject({ count: 3, sum: 0.254 });
    expect(await harness.metric(MetricNames.rateLimitsAvoided)).toMatchObject([{ value: 1 }]);
  });

  it('labels a request with its tenant tier when the event carries it', async () => {
    const events = setup();
    events.emit('request.done', {
      requestId: 'r1',
      tenantId: 'acme',
      tier: 'enterprise',
      level: 'simple',
      provider: 'openai',
      model: 'gpt-4.1-nano',
      costMicros: 3,
      latencyMs: 20,
      cascaded: false,
      fellBack: false,
    });
    expect((await harness.metric(MetricNames.requests))[0]?.attributes['forge1.tier']).toBe('enterprise');
  });

  it('reports each circuit’s last state as 0 closed, 1 half-open, 2 open', async () => {
    const events = setup();
    events.emit('circuit.open', { provider: 'openai', model: 'gpt-4.1' });
    events.emit('circuit.open', { provider: 'google', model: 'gemini-2.5-flash' });
    events.emit('circuit.halfOpen', { provider: 'openai', model: 'gpt-4.1' });
    const states = await harness.metric(MetricNames.circuitState);
    expect(states.map((point) => [point.attributes, point.value])).toEqual([
      [{ 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4.1' }, 1],
      [{ 'gen_ai.provider.name': 'gcp.gemini', 'gen_ai.request.model': 'gemini-2.5-flash' }, 2],
    ]);
    events.emit('circuit.close', { provider: 'openai', model: 'gpt-4.1' });
    expect((await harness.metric(MetricNames.circuitState))[0]?.value).toBe(0);
  });

  it('counts circuit transitions by state', async () => {
    const events = setup();
    events.emit('circuit.open', { provider: 'openai', model: 'gpt-4.1' });
    events.emit('circuit.close', { provider: 'openai', model: 'gpt-4.1' });
    const transitions = await harness.metric(MetricNames.circuitTransitions);
    expect(transitions.map((point) => point.attributes['forge1.circuit.state'])).toEqual(['open', 'closed']);
  });

  it('counts key cooldowns and disabled keys by key id and reason', async () => {
    const events = setup();
    events.emit('key.cooldown', {
      keyId: 'openai-a',
      provider: 'openai',
      untilMs: 5,
      reason: 'rate_limited',
    });
    events.emit('key.disabled', { keyId: 'openai-b', provider: 'openai', reason: 'auth' });
    expect((await harness.metric(MetricNames.keyCooldowns))[0]?.attributes).toEqual({
      'forge1.key.id': 'openai-a',
      'gen_ai.provider.name': 'openai',
      'forge1.reason': 'rate_limited',
    });
    expect((await harness.metric(MetricNames.keyDisabled))[0]?.attributes['forge1.key.id']).toBe('openai-b');
  });

  it('reports the budget share spent at the last alert per tenant, and counts the alerts', async () => {
    const events = setup();
    const alert = { tenantId: 'acme', period: '2026-01', budgetMicros: 1_000_000 };
    events.emit('budget.alert', { ...alert, threshold: 0.5, spentMicros: 500_000 });
    events.emit('budget.alert', { ...alert, threshold: 0.8, spentMicros: 820_000 });
    const [used] = await harness.metric(MetricNames.budgetUtilization);
    expect(used).toMatchObject({
      attributes: { 'forge1.tenant': 'acme', 'forge1.budget.period': '2026-01' },
    });
    expect(used?.value).toBeCloseTo(0.82);
    const alerts = await harness.metric(MetricNames.budgetAlerts);
    expect(alerts.map((point) => point.attributes['forge1.budget.threshold'])).toEqual([0.5, 0.8]);
  });

  it('counts pool saturation signals and sink errors', async () => {
    const events = setup();
    events.emit('pool.saturated', { provider: 'anthropic', utilisation: 0.97, windowMs: 60_000 });
    events.emit('sink.error', { sink: 'postgres', errorCode: 'internal_error', message: 'down', attempt: 2 });
    expect((await harness.metric(MetricNames.poolSaturations))[0]?.attributes).toEqual({
      'gen_ai.provider.name': 'anthropic',
    });
    expect((await harness.metric(MetricNames.sinkErrors))[0]?.attributes).toEqual({
      'forge1.sink': 'postgres',
      'error.type': 'internal_error',
    });
  });
});
