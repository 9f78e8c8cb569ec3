// The router's capacity-aware choice against a real key pool behind the gateway: the headroom it
// reads is the one the tenant's tier can use, so a standard tenant does not queue behind capacity
// held for an enterprise tenant while another provider's keys are free.
import { createGateway, createTenantDirectory } from '@forge1/core';
import { createScriptedAdapter } from '@forge1/core/testing';
import { createKeyPool } from '@forge1/keypool';
import { createRouter } from '@forge1/router';
import { describe, expect, it } from 'vitest';

function stack() {
  const pool = createKeyPool({
    keys: [
      { id: 'openai-1', provider: 'openai', secret: 'sk-test-openai-0123456789', rpm: 100, tpm: 1_000_000 },
      { id: 'google-1', provider: 'google', secret: 'sk-test-google-0123456789', rpm: 100, tpm: 1_000_000 },
    ],
    // Enterprise holds 95 % of a shared key while it is active; standard is guaranteed 2 %.
    tiers: { enterprise: { reservedShare: 0.95 }, standard: { reservedShare: 0.02 } },
    maxWaitMs: 200,
    signals: false,
  });
  const gateway = createGateway({
    tenants: createTenantDirectory({
      tenants: [
        { id: 'bank', tier: 'enterprise', industry: 'finance' },
        { id: 'shop', tier: 'standard', industry: 'tech', preference: 'cost' },
      ],
    }),
    router: createRouter({ providers: ['openai', 'google'] }),
    keys: pool,
    providers: {
      openai: createScriptedAdapter('openai', () => ({ text: 'You are welcome!' })),
      google: createScriptedAdapter('google', () => ({ text: 'You are welcome!' })),
    },
  });
  const thanks = () => gateway.chat({ tenant: 'shop', messages: [{ role: 'user', content: 'Thanks!' }] });
  const use = async (provider: string, tenantId: string, tier: 'enterprise' | 'standard', count: number) => {
    const model = provider === 'openai' ? 'gpt-5-nano' : 'gemini-2.5-flash-lite';
    for (let i = 0; i < count; i++)
      (await pool.acquire({ provider, model, estTokens: 10, tenantId, tier })).release();
  };
  return { pool, gateway, thanks, use };
}

describe('capacity-aware routing through the gateway and a real key pool', () => {
  it('sends "Thanks!" to the cheapest small model while its keys have room', async () => {
    const { gateway, thanks } = stack();
    const result = await thanks();
    expect([result.provider, result.model]).toEqual(['openai', 'gpt-5-nano']);
    await gateway.close();
  });

  it("takes the equivalent model on the free provider when the tier's share of the other is used up", async () => {
    const { pool, gateway, thanks, use } = stack();
    // The bank's one request makes enterprise active on OpenAI: 95 of the key's 100 requests are
    // held for it, 94 unused. The shop's five requests use what standard may take there; the key is
    // 6 % used. The Google key is 10 % used, by the shop alone.
    await use('openai', 'bank', 'enterprise', 1);
    await use('openai', 'shop', 'standard', 5);
    await use('google', 'shop', 'standard', 10);
    // Read without the tier, OpenAI looks the freer of the two; for the shop it is full.
    expect(pool.headroom('openai')).toBeCloseTo(0.94);
    expect(pool.headroom('google')).toBeCloseTo(0.9);
    expect(pool.headroom('openai', undefined, 'standard', 'shop')).toBe(0);
    const routed: string[] = [];
    gateway.events.on('route', (event) => routed.push(event.decision.provider));
    const result = await thanks();
    expect(result.provider).toBe('google');
    expect(result.model).toBe('gemini-2.5-flash-lite');
    // Chosen there at once, not reached as a fallback after OpenAI refused or queued.
    expect(routed).toEqual(['google']);
    expect(result.attempts.map((attempt) => [attempt.provider, attempt.ok, attempt.fallback])).toEqual([
      ['google', true, false],
    ]);
    expect(pool.stats().providers.map((provider) => provider.waits.queued)).toEqual([0, 0]);
    // The room is still there for the bank.
    expect(pool.headroom('openai', undefined, 'enterprise', 'bank')).toBeCloseTo(0.94);
    await gateway.close();
  });
});
