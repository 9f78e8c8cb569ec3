import { withResilience } from '@forge1/adapters';
import { createEventBus, createGateway, createSeededRandom, createTenantDirectory } from '@forge1/core';
import { createKeyPool } from '@forge1/keypool';
import { createGuard, createMemorySink, createMeter } from '@forge1/metering';
import { sampleUsageRecords } from '@forge1/metering/testing';
import { createRouter } from '@forge1/router';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFaultyAdapter, type FaultState } from './support/faulty-adapter.ts';
import { anything, badNumber, expectTypedAsync, trackUnhandled, wrongOr } from './support/fuzz.ts';

// Chat requests through a full gateway (real router, key pool, resilience, meter, guard),
// tenant policies through the directory and usage records through meter.record: bad input gives
// a typed Forge1Error, never another exception, a hang or an unhandled rejection.
const state: FaultState = {
  rates: { serverError: 0.1, rateLimited: 0.05, timeout: 0.02 },
  down: new Set(),
  revoked: new Set(),
  retryAfterMs: 1,
};
const events = createEventBus();
const providers = Object.fromEntries(
  ['openai', 'anthropic', 'google'].map((name) => [
    name,
    withResilience(createFaultyAdapter(name, state, createSeededRandom(3)), {
      events,
      retry: { retries: 1, minDelayMs: 1, maxDelayMs: 2 },
      breaker: { volumeThreshold: 1_000 },
    }),
  ]),
);
const tenants = createTenantDirectory({ tenants: [{ id: 'fuzz-co', tier: 'professional' }] });
const meter = createMeter({ sinks: [createMemorySink()], journal: false, events });
const gateway = createGateway({
  tenants,
  router: createRouter({ providers: Object.keys(providers) }),
  keys: createKeyPool({
    keys: Object.keys(providers).map((provider) => ({
      id: `${provider}-fuzz`,
      provider,
      secret: `sk-fuzz-${provider}-0000`,
      rpm: 1_000_000,
      tpm: 1_000_000_000,
    })),
    events,
    maxWaitMs: 50,
    signals: false,
  }),
  providers,
  meter,
  guard: createGuard({ events }),
  events,
  attemptTimeoutMs: 20,
});

const text = fc.oneof(fc.string({ maxLength: 40 }), fc.constant('x'.repeat(5_000)), anything);
const message = fc.record(
  {
    role: wrongOr(fc.constantFrom('user', 'system', 'assistant', 'tool')),
    content: text,
    toolCallId: wrongOr(fc.string()),
    toolCalls: anything,
  },
  { requiredKeys: ['role', 'content'] },
);
const chatInput = fc.oneof(
  anything,
  fc.record(
    {
      tenant: wrongOr(fc.constantFrom('fuzz-co', 'nobody', '')),
      employee: wrongOr(fc.string({ maxLength: 8 })),
      user: wrongOr(fc.string({ maxLength: 8 })),
      requestId: wrongOr(fc.string({ maxLength: 8 })),
      messages: wrongOr(fc.array(message, { minLength: 1, maxLength: 3 })),
      model: wrongOr(fc.constantFrom('gpt-4o-mini', 'claude-haiku-4-5', 'no-such-model')),
      maxTokens: badNumber,
      temperature: badNumber,
      stop: anything,
      tools: anything,
      toolChoice: anything,
      responseFormat: wrongOr(fc.constant({ type: 'json' })),
      metadata: anything,
    },
    { requiredKeys: ['tenant', 'messages'] },
  ),
);

let unhandled: ReturnType<typeof trackUnhandled>;
beforeAll(() => {
  unhandled = trackUnhandled();
});
afterAll(async () => {
  await gateway.close();
  unhandled.dispose();
  expect(unhandled.seen).toEqual([]);
});

describe('fuzzing through a full gateway', () => {
  it('gateway.chat answers or throws a Forge1Error', async () => {
    await fc.assert(
      fc.asyncProperty(chatInput, async (input) => {
        await expectTypedAsync(() => gateway.chat(input as never));
      }),
      { numRuns: 250 },
    );
  });

  it('gateway.stream yields chunks or throws a Forge1Error, from the stream and from final()', async () => {
    await fc.assert(
      fc.asyncProperty(chatInput, async (input) => {
        await expectTypedAsync(async () => {
          const stream = gateway.stream(input as never);
          const final = stream.final();
          final.catch(() => undefined);
          for await (const _chunk of stream) {
            // drained
          }
          return final;
        });
      }),
      { numRuns: 150 },
    );
  });

  it('the tenant directory validates policies on create, update and resolve', async () => {
    const policy = fc.record(
      {
        id: fc.oneof(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/), fc.string()),
        tier: wrongOr(fc.constantFrom('enterprise', 'professional', 'standard', 'platinum')),
        industry: wrongOr(fc.constantFrom('finance', 'tech', 'mining')),
        preference: anything,
        limits: fc.oneof(anything, fc.record({ dailyRequests: badNumber, monthlyTokens: badNumber })),
        budget: fc.oneof(
          anything,
          fc.record({ monthlyMicros: badNumber, alertThresholds: fc.array(badNumber), onExceeded: anything }),
        ),
        allowedModels: anything,
        allowedProviders: anything,
        metadata: anything,
      },
      { requiredKeys: ['id', 'tier'] },
    );
    const directory = createTenantDirectory();
    await fc.assert(
      fc.asyncProperty(fc.oneof(anything, policy), anything, fc.string(), async (input, patch, other) => {
        const created = await expectTypedAsync(() => directory.create(input as never));
        await expectTypedAsync(() => directory.update(created?.id ?? other, patch as never));
        await expectTypedAsync(() => directory.resolve(other));
        if (created) await directory.remove(created.id);
      }),
      { numRuns: 300 },
    );
  });

  it('the tenant directory refuses ids that are not strings with a Forge1Error', async () => {
    const directory = createTenantDirectory();
    await fc.assert(
      fc.asyncProperty(anything, async (id) => {
        await expectTypedAsync(() => directory.resolve(id as never));
        await expectTypedAsync(() => directory.update(id as never, {}));
      }),
      { numRuns: 100, examples: [[Object.create(null)]] },
    );
  });

  it('meter.record takes valid records and refuses the rest with a Forge1Error', async () => {
    const [valid] = sampleUsageRecords(1);
    const fields = Object.fromEntries(Object.keys(valid!).map((key) => [key, anything]));
    const broken = fc
      .record(fields, { requiredKeys: [] })
      .map((changes) => ({ ...valid!, ...changes, id: valid!.id }));
    await fc.assert(
      fc.asyncProperty(fc.oneof(anything, broken), async (record) => {
        await expectTypedAsync(() => meter.record(record as never));
      }),
      { numRuns: 300 },
    );
  });
});
