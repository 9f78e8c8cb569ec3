import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hostileValues } from '../../../scripts/hostile-values.ts';
import {
  createCatalog,
  createGateway,
  createTenantDirectory,
  Forge1Error,
  parseGatewayInput,
  parseUsageRecord,
  resolveTenantPolicy,
} from './index.js';
import {
  createRecordingMeter,
  createScriptedAdapter,
  createStaticKeyPool,
  createStaticRouter,
} from './testing/index.js';

// Bad input anywhere in core's public entry points must give a typed Forge1Error, never
// another exception type, a hang, or an unhandled rejection.
const anything = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.anything({
      withBigInt: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 0, max: hostileValues.length - 1 }).map((index) => hostileValues[index]),
  },
);
const nearlyValidRequest = fc.record(
  {
    tenant: fc.oneof(fc.constant('acme'), fc.string(), fc.integer()),
    messages: fc.oneof(
      fc.array(
        fc.record({
          role: fc.constantFrom('user', 'system', 'assistant', 'tool', 'robot'),
          content: fc.oneof(fc.string(), fc.integer()),
        }),
      ),
      anything,
    ),
    maxTokens: fc.oneof(fc.integer(), fc.double(), fc.string()),
    temperature: fc.oneof(fc.double(), fc.constant(Number.NaN)),
    stop: fc.oneof(fc.array(fc.string()), anything),
  },
  { requiredKeys: [] },
);

const expectTyped = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (!Forge1Error.is(error)) throw error;
  }
};

describe('fuzzing core entry points', () => {
  it('parseGatewayInput throws only Forge1Errors', () => {
    fc.assert(
      fc.property(fc.oneof(anything, nearlyValidRequest), (input) =>
        expectTyped(() => parseGatewayInput(input)),
      ),
      {
        numRuns: 2_000,
      },
    );
  });

  it('resolveTenantPolicy throws only Forge1Errors', () => {
    const policyish = fc.record(
      {
        id: fc.oneof(fc.string(), anything),
        tier: fc.oneof(fc.constantFrom('enterprise', 'professional', 'standard'), fc.string()),
        limits: fc.oneof(fc.record({ dailyRequests: fc.oneof(fc.integer(), fc.double()) }), anything),
        budget: anything,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(anything, policyish), (input) => expectTyped(() => resolveTenantPolicy(input))),
      {
        numRuns: 2_000,
      },
    );
  });

  it('parseUsageRecord throws only Forge1Errors', () => {
    fc.assert(
      fc.property(anything, (input) => expectTyped(() => parseUsageRecord(input))),
      { numRuns: 2_000 },
    );
  });

  it('createCatalog throws only Forge1Errors', () => {
    const options = fc.record(
      {
        models: fc.oneof(fc.array(anything, { maxLength: 3 }), fc.constant(undefined)),
        overrides: fc.oneof(fc.dictionary(fc.string(), anything), fc.constant(undefined)),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(options, (input) => expectTyped(() => createCatalog(input as never))),
      { numRuns: 1_000 },
    );
  });

  it('gateway.chat rejects with Forge1Errors only, for any input', async () => {
    const gateway = createGateway({
      tenants: createTenantDirectory({ tenants: [{ id: 'acme', tier: 'standard' }] }),
      router: createStaticRouter({ provider: 'openai', model: 'gpt-4.1-nano' }),
      keys: createStaticKeyPool(),
      providers: { openai: createScriptedAdapter('openai', () => ({ text: 'ok' })) },
      meter: createRecordingMeter(),
    });
    await fc.assert(
      fc.asyncProperty(fc.oneof(anything, nearlyValidRequest), async (input) => {
        try {
          await gateway.chat(input as never);
        } catch (error) {
          expect(Forge1Error.is(error)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});
