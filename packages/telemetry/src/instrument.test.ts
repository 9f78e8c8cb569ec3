import { createNoopMeter } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { createFixtureGateway, prompt } from '../test/gateway-fixture.ts';
import { createOtelHarness } from '../test/otel-harness.ts';
import { instrument } from './instrument.js';
import { MetricNames } from './instruments.js';

const ask = (content = prompt) => ({ tenant: 'acme', messages: [{ role: 'user' as const, content }] });

let harness = createOtelHarness();
afterEach(async () => {
  await harness.shutdown();
  harness = createOtelHarness();
});

function setup(options: { model?: string } = {}) {
  const fixture = createFixtureGateway(options);
  const telemetry = instrument(fixture.gateway, { meterProvider: harness.meterProvider });
  return { ...fixture, telemetry };
}

describe('instrument: metrics from gateway events', () => {
  it('records GenAI token usage per token type with the semantic-convention attributes', async () => {
    const { gateway } = setup();
    await gateway.chat(ask());
    const points = await harness.metric(MetricNames.tokenUsage);
    expect(points.map((point) => point.attributes)).toEqual([
      {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4.1-nano',
        'gen_ai.token.type': 'input',
      },
      {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4.1-nano',
        'gen_ai.token.type': 'output',
      },
    ]);
    expect(points.map((point) => (point.value as { sum: number }).sum)).toEqual([12, 7]);
    expect(points[0]?.unit).toBe('{token}');
  });

  it('records the operation duration of each attempt in seconds', async () => {
    const { gateway } = setup();
    await gateway.chat(ask());
    const points = await harness.metric(MetricNames.operationDuration);
    expect(points).toHaveLength(1);
    const point = points[0]!;
    expect(point.unit).toBe('s');
    expect(point.attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4.1-nano',
    });
    expect((point.value as { count: number }).count).toBe(1);
  });

  it('counts a served request by tenant, level and outcome, and its cost per tenant', async () => {
    const { gateway } = setup();
    const answer = await gateway.chat(ask());
    const [request] = await harness.metric(MetricNames.requests);
    expect(request).toMatchObject({
      attributes: {
        'forge1.tenant': 'acme',
        'forge1.level': 'moderate',
        'forge1.outcome': 'ok',
        'forge1.cascaded': false,
        'forge1.fallback': false,
      },
      value: 1,
    });
    const cost = await harness.metric(MetricNames.cost);
    expect(cost.map((point) => point.attributes['forge1.tenant'])).toEqual(['acme']);
    expect(cost[0]?.value).toBe(answer.costMicros);
    expect(answer.costMicros).toBeGreaterThan(0);
  });

  it('counts router decisions with the level, the chosen model and its model tier', async () => {
    const { gateway } = setup();
    await gateway.chat(ask());
    const [decision] = await harness.metric(MetricNames.routerDecisions);
    expect(decision?.attributes).toEqual({
      'forge1.tenant': 'acme',
      'forge1.level': 'moderate',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4.1-nano',
      'forge1.model.tier': 'small',
    });
  });

  it('counts a cascade from the small model to the stronger one', async () => {
    const { gateway } = setup();
    const answer = await gateway.chat(ask('please hedge'));
    expect(answer.cascaded).toBe(true);
    const [cascade] = await harness.metric(MetricNames.cascades);
    expect(cascade).toMatchObject({
      attributes: {
        'forge1.tenant': 'acme',
        'forge1.from.model': 'gpt-4.1-nano',
        'forge1.to.model': 'gpt-4.1',
      },
      value: 1,
    });
  });

  it('counts a fallback with the error that caused it', async () => {
    const { gateway } = setup({ model: 'gpt-4.1-down' });
    const answer = await gateway.chat(ask());
    expect(answer.fellBack).toBe(true);
    const [fallback] = await harness.metric(MetricNames.fallbacks);
    expect(fallback?.attributes).toEqual({
      'forge1.tenant': 'acme',
      'forge1.from.provider': 'openai',
      'forge1.to.provider': 'anthropic',
      'error.type': 'provider_unavailable',
    });
    const durations = await harness.metric(MetricNames.operationDuration);
    expect(durations.map((point) => point.attributes['error.type'])).toEqual([
      'provider_unavailable',
      undefined,
    ]);
  });

  it('counts a failed request with its error type', async () => {
    const { gateway } = setup();
    await expect(gateway.chat({ ...ask(), tenant: 'nobody' })).rejects.toThrow();
    const [request] = await harness.metric(MetricNames.requests);
    expect(request?.attributes).toEqual({
      'forge1.tenant': 'nobody',
      'forge1.outcome': 'error',
      'error.type': 'unknown_tenant',
    });
  });

  it('counts attempts refused with a rate limit by provider and key', async () => {
    const { gateway } = setup({ model: 'gpt-4.1-limited' });
    await gateway.chat(ask());
    const limited = await harness.metric(MetricNames.rateLimited);
    expect(limited.map((point) => point.attributes)).toEqual([
      { 'gen_ai.provider.name': 'openai', 'forge1.key.id': 'key-openai-1' },
      { 'gen_ai.provider.name': 'openai', 'forge1.key.id': 'key-openai-2' },
    ]);
  });

  it('reports every request and its cost at each collection, summed since the first', async () => {
    const { gateway } = setup();
    const costOf = async (count: number) => {
      let micros = 0;
      for (let i = 0; i < count; i++) micros += (await gateway.chat(ask())).costMicros;
      return micros;
    };
    const firstCost = await costOf(3);
    expect((await harness.metric(MetricNames.requests)).map((point) => point.value)).toEqual([3]);
    const laterCost = await costOf(2);
    expect((await harness.metric(MetricNames.requests)).map((point) => point.value)).toEqual([5]);
    expect((await harness.metric(MetricNames.routerDecisions)).map((point) => point.value)).toEqual([5]);
    expect((await harness.metric(MetricNames.cost)).map((point) => point.value)).toEqual([
      firstCost + laterCost,
    ]);
  });

  it('with the no-op API, listens to no event at all', () => {
    let listened = 0;
    const events = {
      on: () => {
        listened++;
        return () => {};
      },
    } as never;
    const telemetry = instrument({ events }, { meterProvider: { getMeter: () => createNoopMeter() } });
    telemetry.stop();
    expect(listened).toBe(0);
    expect(() => instrument({ events }, { meterProvider: harness.meterProvider }).stop()).not.toThrow();
    expect(listened).toBeGreaterThan(0);
  });

  it('records nothing more once stopped', async () => {
    const { gateway, telemetry } = setup();
    await gateway.chat(ask());
    telemetry.stop();
    telemetry.stop();
    await gateway.chat(ask());
    const [request] = await harness.metric(MetricNames.requests);
    expect(request?.value).toBe(1);
  });
});
