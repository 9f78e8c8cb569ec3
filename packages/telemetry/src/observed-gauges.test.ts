import { createEventBus } from '@forge1/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createOtelHarness } from '../test/otel-harness.ts';
import { instrument } from './instrument.js';
import { MetricNames } from './instruments.js';
import type { KeyPoolStatsSource, MeterStatsSource } from './observed-gauges.js';

let harness = createOtelHarness();
afterEach(async () => {
  await harness.shutdown();
  harness = createOtelHarness();
});

const key = (keyId: string, provider: string, utilisation: number, state = 'active') => ({
  keyId,
  provider,
  state,
  inFlight: 2,
  utilisation,
  secret: 'sk-must-not-be-read',
});

describe('observed gauges', () => {
  it('report utilisation and in-flight calls per key and provider, from the pool’s stats at collection', async () => {
    let utilisation = 0.25;
    const keyPool: KeyPoolStatsSource = {
      stats: () => ({ keys: [key('openai-a', 'openai', utilisation)], queueDepth: 0 }),
    };
    instrument({ events: createEventBus() }, { meterProvider: harness.meterProvider, keyPool });
    expect((await harness.metric(MetricNames.keyUtilization))[0]).toMatchObject({
      attributes: { 'forge1.key.id': 'openai-a', 'gen_ai.provider.name': 'openai' },
      value: 0.25,
    });
    utilisation = 0.75;
    expect((await harness.metric(MetricNames.keyUtilization))[0]?.value).toBe(0.75);
    expect((await harness.metric(MetricNames.keyInFlight))[0]?.value).toBe(2);
  });

  it('report each key’s state as 1 for the current state and 0 for the others', async () => {
    const keyPool: KeyPoolStatsSource = {
      stats: () => ({ keys: [key('google-a', 'google', 0, 'cooling')], queueDepth: 0 }),
    };
    instrument({ events: createEventBus() }, { meterProvider: harness.meterProvider, keyPool });
    const states = await harness.metric(MetricNames.keyState);
    expect(states.filter((point) => point.value === 1).map((point) => point.attributes)).toEqual([
      { 'forge1.key.id': 'google-a', 'gen_ai.provider.name': 'gcp.gemini', 'forge1.key.state': 'cooling' },
    ]);
    expect(states).toHaveLength(5);
  });

  it('report queue depth and utilisation per provider when the pool gives per-provider figures', async () => {
    const keyPool: KeyPoolStatsSource = {
      stats: () => ({
        keys: [],
        queueDepth: 7,
        providers: [
          { provider: 'openai', utilisation: 0.9, queueDepth: 5 },
          { provider: 'anthropic', utilisation: 0.1, queueDepth: 2 },
        ],
      }),
    };
    instrument({ events: createEventBus() }, { meterProvider: harness.meterProvider, keyPool });
    const queues = await harness.metric(MetricNames.queueDepth);
    expect(queues.map((point) => [point.attributes['gen_ai.provider.name'], point.value])).toEqual([
      ['openai', 5],
      ['anthropic', 2],
    ]);
    expect((await harness.metric(MetricNames.providerUtilization))[0]?.value).toBe(0.9);
  });

  it('report the pool-wide queue depth when the pool has no per-provider figures', async () => {
    const keyPool: KeyPoolStatsSource = { stats: () => ({ keys: [], queueDepth: 3 }) };
    instrument({ events: createEventBus() }, { meterProvider: harness.meterProvider, keyPool });
    expect(await harness.metric(MetricNames.queueDepth)).toMatchObject([{ attributes: {}, value: 3 }]);
  });

  it('report sink lag, journal size and buffered records from the meter’s stats', async () => {
    const meter: MeterStatsSource = {
      stats: () => ({
        buffered: 4,
        journalBytes: 2048,
        sinks: [
          { name: 'sqlite', lag: 0 },
          { name: 'webhook', lag: 12 },
        ],
      }),
    };
    instrument({ events: createEventBus() }, { meterProvider: harness.meterProvider, meter });
    const lag = await harness.metric(MetricNames.sinkLag);
    expect(lag.map((point) => [point.attributes['forge1.sink'], point.value])).toEqual([
      ['sqlite', 0],
      ['webhook', 12],
    ]);
    expect(await harness.metric(MetricNames.journalSize)).toMatchObject([{ unit: 'By', value: 2048 }]);
    expect(await harness.metric(MetricNames.buffered)).toMatchObject([{ value: 4 }]);
  });

  it('stop reading the sources once the instrumentation stops', async () => {
    let reads = 0;
    const keyPool: KeyPoolStatsSource = {
      stats: () => {
        reads++;
        return { keys: [], queueDepth: 0 };
      },
    };
    const telemetry = instrument(
      { events: createEventBus() },
      { meterProvider: harness.meterProvider, keyPool },
    );
    await harness.points();
    telemetry.stop();
    await harness.points();
    expect(reads).toBe(1);
  });
});
