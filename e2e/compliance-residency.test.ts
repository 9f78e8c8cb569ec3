import { withResilience } from '@forge1/adapters';
import {
  createEventBus,
  createGateway,
  createSeededRandom,
  createTenantDirectory,
  Forge1Error,
  type Gateway,
} from '@forge1/core';
import { createKeyPool, type KeyInput } from '@forge1/keypool';
import { createRouter } from '@forge1/router';
import { describe, expect, it } from 'vitest';
import { chaosProviders, chaosRates, downProvider } from './support/chaos-stack.ts';
import { createFaultyAdapter, type FaultState } from './support/faulty-adapter.ts';

// A tenant pinned to the EU beside an unpinned one, under the chaos faults (500s, 429s,
// timeouts), an outage of the first-choice provider and revoked keys: the pinned tenant must
// never be served by a key outside the EU, and when no EU key is left its error names the region.
const regions = ['eu', 'us'] as const;
const SEED = Number(process.env.FORGE1_FUZZ_SEED ?? (process.env.CI ? 20261123 : Date.now() % 100_000));

function stack() {
  const events = createEventBus();
  const keys: KeyInput[] = chaosProviders.flatMap((provider) =>
    regions.flatMap((region) =>
      [1, 2].map((index) => ({
        id: `${provider}-${region}-${index}`,
        provider,
        region,
        secret: `sk-residency-${provider}-${region}-${index}-0123456789`,
        rpm: 10_000_000,
        tpm: 10_000_000_000,
      })),
    ),
  );
  const state: FaultState = {
    rates: { ...chaosRates },
    down: new Set(),
    revoked: new Set(),
    retryAfterMs: 2,
  };
  const random = createSeededRandom(SEED);
  const providers = Object.fromEntries(
    chaosProviders.map((provider) => [
      provider,
      withResilience(createFaultyAdapter(provider, state, random), {
        events,
        retry: { retries: 2, minDelayMs: 1, maxDelayMs: 5 },
        breaker: {
          volumeThreshold: 20,
          errorThresholdPercentage: 50,
          rollingWindowMs: 1_000,
          resetTimeoutMs: 100,
        },
      }),
    ]),
  );
  const unlimited = { limits: { dailyRequests: 1_000_000_000 }, budget: { monthlyMicros: null } };
  const tenants = createTenantDirectory({
    tenants: [
      { id: 'eu-clinic', tier: 'professional', industry: 'healthcare', regions: ['eu'], ...unlimited },
      { id: 'global', tier: 'standard', ...unlimited },
      { id: 'on-mars', tier: 'standard', regions: ['mars'], ...unlimited },
    ],
  });
  const pool = createKeyPool({
    keys,
    events,
    maxWaitMs: 100,
    cooldown: { baseMs: 5, maxMs: 50 },
    signals: false,
  });
  const gateway: Gateway = createGateway({
    tenants,
    router: createRouter({ providers: [...chaosProviders], strategy: 'ladder' }),
    keys: pool,
    providers,
    events,
    attemptTimeoutMs: 40,
  });
  const region = new Map(keys.map((key) => [key.id, key.region]));
  const leased: Array<{ tenantId: string; keyId: string }> = [];
  events.on('attempt', ({ tenantId, keyId }) => {
    if (keyId) leased.push({ tenantId, keyId });
  });
  return { gateway, state, keys, region, leased };
}

const ask = (tenant: string, i: number) => ({
  tenant,
  messages: [{ role: 'user' as const, content: `Summarise ticket ${i} in one line.` }],
});

describe('data residency under chaos', () => {
  it('never leases an out-of-region key to a region-pinned tenant, through outages and revoked keys', {
    timeout: 60_000,
  }, async () => {
    console.info(`residency chaos seed ${SEED}`);
    const { gateway, state, keys, region, leased } = stack();
    const total = 900;
    let launched = 0;
    const outcomes = { 'eu-clinic': { ok: 0, failed: 0 }, global: { ok: 0, failed: 0 } };
    const worker = async () => {
      while (launched < total) {
        const i = launched++;
        if (i === Math.floor(total / 3)) state.down.add(downProvider);
        if (i === Math.floor(total / 2)) {
          // One EU and one US key of each provider revoked at the provider: 401 from now on.
          for (const provider of chaosProviders) {
            state.revoked.add(keys.find((key) => key.id === `${provider}-eu-1`)!.secret as string);
            state.revoked.add(keys.find((key) => key.id === `${provider}-us-1`)!.secret as string);
          }
        }
        if (i === Math.floor((2 * total) / 3)) state.down.delete(downProvider);
        const tenant = i % 2 ? 'eu-clinic' : 'global';
        try {
          await gateway.chat(ask(tenant, i));
          outcomes[tenant].ok++;
        } catch (error) {
          expect(Forge1Error.is(error)).toBe(true);
          outcomes[tenant].failed++;
        }
      }
    };
    await Promise.all(Array.from({ length: 12 }, worker));
    console.info(`residency chaos outcomes ${JSON.stringify(outcomes)}`);

    const pinned = leased.filter((lease) => lease.tenantId === 'eu-clinic');
    expect(pinned.length).toBeGreaterThan(total / 2);
    expect(pinned.filter((lease) => region.get(lease.keyId) !== 'eu')).toEqual([]);
    // The unpinned tenant did use US keys: the check above is not vacuous.
    expect(leased.some((lease) => lease.tenantId === 'global' && region.get(lease.keyId) === 'us')).toBe(
      true,
    );
    expect(outcomes['eu-clinic'].ok).toBeGreaterThan(total / 4);

    // Every EU key revoked: the pinned tenant gets an error that names its region, and still no US key.
    for (const key of keys) if (key.region === 'eu') state.revoked.add(key.secret as string);
    state.rates = { serverError: 0, rateLimited: 0, timeout: 0 };
    let last: unknown;
    for (let i = 0; i < 20; i++) {
      last = await gateway.chat(ask('eu-clinic', i)).catch((error: unknown) => error);
      if (Forge1Error.is(last) && last.message.includes('region eu')) break;
    }
    expect(Forge1Error.is(last) && last.message).toMatch(/region eu/);
    expect((last as { regions?: string[] }).regions).toEqual(['eu']);
    expect(
      leased.filter((lease) => lease.tenantId === 'eu-clinic' && region.get(lease.keyId) !== 'eu'),
    ).toEqual([]);
    await gateway.close();
  });

  it('refuses a tenant pinned to a region no key serves, naming the region', async () => {
    const { gateway, leased } = stack();
    const error = await gateway.chat(ask('on-mars', 1)).catch((thrown: unknown) => thrown);
    expect(Forge1Error.is(error)).toBe(true);
    expect((error as { regions?: string[] }).regions).toEqual(['mars']);
    expect((error as Error).message).toContain('mars');
    expect(leased.filter((lease) => lease.tenantId === 'on-mars')).toEqual([]);
    await gateway.close();
  });
});
