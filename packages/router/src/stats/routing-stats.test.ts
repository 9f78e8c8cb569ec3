import {
  contentText,
  createCatalog,
  createGateway,
  createTenantDirectory,
  type ProviderChatRequest,
  ProviderUnavailableError,
} from '@forge1/core';
import { createScriptedAdapter, createStaticKeyPool } from '@forge1/core/testing';
import { createRouter, createStatsRecorder } from '@forge1/router';
import { describe, expect, it } from 'vitest';

const catalog = createCatalog();
const solid =
  'A complete and confident answer with enough words to satisfy the judge for this level of request. '.repeat(
    8,
  );
const lastText = (request: ProviderChatRequest) => contentText(request.messages.at(-1)?.content ?? '');

function setup() {
  const router = createRouter({ providers: ['openai', 'anthropic'] });
  const reply = (request: ProviderChatRequest) => {
    const small = catalog.require(request.model).tier === 'small';
    if (small && lastText(request).includes('refund'))
      return { text: "I'm not sure, perhaps.", inputTokens: 200, outputTokens: 10 };
    return { text: solid, inputTokens: 200, outputTokens: 300 };
  };
  // Whichever provider the outage request reaches first is down, so it falls back to the other.
  let down: string | undefined;
  const adapter = (provider: string) =>
    createScriptedAdapter(provider, (request) => {
      if (lastText(request).includes('outage') && (down ?? provider) === provider) {
        down = provider;
        return { error: new ProviderUnavailableError('down', { provider }) };
      }
      return reply(request);
    });
  const gateway = createGateway({
    tenants: createTenantDirectory({
      tenants: [
        { id: 'a', tier: 'standard' },
        { id: 'b', tier: 'standard', industry: 'tech' },
      ],
    }),
    router,
    keys: createStaticKeyPool(),
    providers: { openai: adapter('openai'), anthropic: adapter('anthropic') },
  });
  return { router, gateway };
}

describe('routing statistics', () => {
  it('count levels, models, cascades, fallbacks, cost and savings from the gateway events, per tenant', async () => {
    const { router, gateway } = setup();
    const stop = router.attach(gateway.events);
    const chat = (tenant: string, content: string) =>
      gateway.chat({ tenant, messages: [{ role: 'user', content }] });
    const results = [
      await chat('a', 'Where is my order #1?'),
      await chat('a', 'When will my refund arrive?'),
      await chat('b', 'What time do you open? There is an outage on your site maybe.'),
      await chat('b', 'Hi!'),
    ];
    stop();
    await chat('a', 'Hello again');
    const stats = router.stats();
    expect(stats.requests).toBe(4);
    expect(stats.tenants.a?.requests).toBe(2);
    expect(stats.tenants.b?.requests).toBe(2);
    const cascaded = results.filter((r) => r.cascaded).length;
    const fellBack = results.filter((r) => r.fellBack).length;
    expect(cascaded).toBeGreaterThan(0);
    expect(fellBack).toBeGreaterThan(0);
    expect(stats.cascadeRate).toBe(cascaded / 4);
    expect(stats.fallbackRate).toBe(fellBack / 4);
    expect(stats.costMicros).toBe(results.reduce((sum, r) => sum + r.costMicros, 0));
    const baseline = results.reduce((sum, r) => sum + catalog.costOf(stats.baselineModel!, r.usage), 0);
    expect(stats.baselineCostMicros).toBe(baseline);
    expect(stats.savingsMicros).toBe(baseline - stats.costMicros);
    expect(stats.savingsRate).toBeGreaterThan(0);
    expect(Object.values(stats.byLevel).reduce((sum, share) => sum + share.count, 0)).toBe(4);
    expect(Object.values(stats.byModel).reduce((sum, share) => sum + share.share, 0)).toBeCloseTo(1);
    expect(stats.smallModelShare).toBe(
      results.filter((r) => catalog.require(r.decision.model).tier === 'small').length / 4,
    );
  });

  it('give the same figures from observed gateway results as from events', async () => {
    const { router, gateway } = setup();
    const recorder = createStatsRecorder({ catalog, providers: new Set(['openai', 'anthropic']) });
    router.attach(gateway.events);
    for (const content of [
      'Hi',
      'When will my refund arrive?',
      'Compare Kafka and Pulsar for our event pipeline.',
    ]) {
      recorder.observe(await gateway.chat({ tenant: 'a', messages: [{ role: 'user', content }] }));
    }
    const { tenants: _fromEvents, ...fromEvents } = router.stats();
    const { tenants: _observed, ...observed } = recorder.snapshot();
    expect(observed).toEqual(fromEvents);
  });

  it('count requests that fail after routing as errors', async () => {
    const { router, gateway } = setup();
    router.attach(gateway.events);
    await expect(
      gateway.chat({ tenant: 'a', messages: [{ role: 'user', content: 'outage' }], model: 'gpt-4.1-nano' }),
    ).resolves.toBeDefined();
    const lonely = createGateway({
      tenants: createTenantDirectory({
        tenants: [{ id: 'a', tier: 'standard', allowedProviders: ['openai'] }],
      }),
      router,
      keys: createStaticKeyPool(),
      providers: {
        openai: createScriptedAdapter('openai', () => ({
          error: new ProviderUnavailableError('down', { provider: 'openai' }),
        })),
      },
    });
    router.attach(lonely.events);
    await expect(lonely.chat({ tenant: 'a', messages: [{ role: 'user', content: 'Hi' }] })).rejects.toThrow();
    expect(router.stats().errors).toBe(1);
  });
});
