import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withResilience } from '@forge1/adapters';
import { anthropic } from '@forge1/adapters/anthropic';
import { startProviderEmulator } from '@forge1/adapters/emulator';
import { google } from '@forge1/adapters/google';
import { openai, openaiCompatible } from '@forge1/adapters/openai';
import { createEventBus } from '@forge1/core';
import { createScriptedAdapter } from '@forge1/core/testing';
import { createKeyPool } from '@forge1/keypool';
import {
  createGuard,
  createJsonlSink,
  createMemorySink,
  createMeter,
  createSqliteSink,
  createSqlSink,
  createUsageStore,
  createWebhookSink,
} from '@forge1/metering';
import { createRouter } from '@forge1/router';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  anything,
  badNumber,
  expectTyped,
  expectTypedAsync,
  trackUnhandled,
  wrongOr,
} from './support/fuzz.ts';

// Every public factory beyond core, given bad options, throws a typed Forge1Error (or builds
// something usable): never another exception type, a hang or an unhandled rejection.
const runs = { numRuns: 150 };
const dataDir = mkdtempSync(join(tmpdir(), 'forge1-fuzz-factories-'));
let unhandled: ReturnType<typeof trackUnhandled>;
beforeAll(() => {
  unhandled = trackUnhandled();
});
afterAll(() => {
  unhandled.dispose();
  rmSync(dataDir, { recursive: true, force: true });
  expect(unhandled.seen).toEqual([]);
});

// Fuzzed options with some fields pinned (no file written outside a temporary folder). A hostile
// input that cannot even be spread keeps its shape, but is given the pinned fields through a
// Proxy, so that the factory still meets the hostile part and never the unpinned path.
const overriding = (input: unknown, pinned: Record<string, unknown>): unknown => {
  try {
    return { ...(input as object), ...pinned };
  } catch {
    return new Proxy(input as object, {
      get: (target, key) =>
        typeof key === 'string' && key in pinned ? pinned[key] : Reflect.get(target, key),
    });
  }
};

const options = <T extends Record<string, fc.Arbitrary<unknown>>>(fields: T) =>
  fc.oneof(anything, fc.record(fields, { requiredKeys: [] }));
const keyInput = fc.record(
  {
    id: wrongOr(fc.constantFrom('k1', 'k2', 'bad id!', '')),
    provider: wrongOr(fc.constantFrom('openai', 'anthropic', 'nope')),
    secret: wrongOr(fc.constantFrom('sk-fuzz-0000', '')),
    rpm: badNumber,
    tpm: badNumber,
    models: wrongOr(fc.array(fc.string())),
    role: wrongOr(fc.constantFrom('active', 'backup')),
    dedicatedTo: wrongOr(fc.array(fc.string())),
    weight: badNumber,
    windowMs: badNumber,
  },
  { requiredKeys: [] },
);

describe('fuzzing the factories', () => {
  it('createKeyPool', async () => {
    await fc.assert(
      fc.asyncProperty(
        options({
          keys: wrongOr(fc.array(keyInput, { maxLength: 3 })),
          maxWaitMs: badNumber,
          leaseTtlMs: badNumber,
          cooldown: anything,
          signals: anything,
          tiers: anything,
          groups: anything,
          providers: anything,
        }),
        async (input) => {
          const pool = expectTyped(() => createKeyPool(input as never));
          await pool?.close();
        },
      ),
      runs,
    );
  });

  it('createRouter', () => {
    fc.assert(
      fc.property(
        options({
          providers: wrongOr(fc.array(fc.constantFrom('openai', 'anthropic', 'google', 'x'))),
          strategy: wrongOr(fc.constantFrom('ladder', 'cost-efficiency')),
          cascade: anything,
          learner: anything,
          maxFallbacks: badNumber,
          memory: badNumber,
          ladder: anything,
          floors: anything,
          thresholds: anything,
          minimumQuality: anything,
          expectedOutputTokens: anything,
          baselineModel: anything,
        }),
        (input) => {
          expectTyped(() => createRouter(input as never));
        },
      ),
      runs,
    );
  });

  it('createMeter (memory only: a fuzzed journal path would write anywhere)', async () => {
    await fc.assert(
      fc.asyncProperty(
        options({
          sinks: wrongOr(fc.constant([createMemorySink()])),
          batchSize: badNumber,
          flushIntervalMs: badNumber,
          maxBuffered: badNumber,
          drainTimeoutMs: badNumber,
          retry: anything,
          clock: anything,
          events: anything,
          random: anything,
        }),
        async (input) => {
          const safe =
            typeof input === 'object' && input !== null && !Array.isArray(input)
              ? overriding(input, { journal: false })
              : input;
          const meter = expectTyped(() => createMeter(safe as never));
          if (meter) await expectTypedAsync(() => meter.close());
        },
      ),
      runs,
    );
  });

  it('createGuard', () => {
    fc.assert(
      fc.property(
        options({ counters: anything, usage: anything, clock: anything, events: anything }),
        (input) => {
          expectTyped(() => createGuard(input as never));
        },
      ),
      { ...runs, examples: [[null]] },
    );
  });

  it('createUsageStore', () => {
    fc.assert(
      fc.property(options({ database: anything, catalog: anything }), (input) => {
        expectTyped(() => createUsageStore(input as never));
      }),
      { ...runs, examples: [[{}]] },
    );
  });

  it('withResilience', () => {
    const adapter = createScriptedAdapter('openai', () => ({ text: 'ok' }));
    fc.assert(
      fc.property(
        options({
          retry: anything,
          breaker: fc.oneof(
            anything,
            fc.record({ volumeThreshold: badNumber, resetTimeoutMs: badNumber, rollingBuckets: badNumber }),
          ),
          events: wrongOr(fc.constant(createEventBus())),
          clock: anything,
          random: anything,
        }),
        fc.oneof(anything, fc.constant(adapter)),
        (input, wrapped) => {
          const resilient = expectTyped(() => withResilience(wrapped as never, input as never));
          void resilient?.close();
        },
      ),
      runs,
    );
  });

  it("the adapters' factories", () => {
    const adapterOptions = options({
      baseURL: wrongOr(fc.constantFrom('http://127.0.0.1:9/v1', 'not a url')),
      defaultHeaders: anything,
      client: anything,
      createClient: anything,
      maxClients: badNumber,
      clock: anything,
      name: wrongOr(fc.constantFrom('deepseek', '')),
      maxTokensField: anything,
      defaultMaxTokens: badNumber,
      jsonMode: anything,
      apiVersion: anything,
      fetch: anything,
    });
    fc.assert(
      fc.property(adapterOptions, (input) => {
        for (const factory of [openai, openaiCompatible, anthropic, google]) {
          expectTyped(() => factory(input as never));
        }
      }),
      runs,
    );
  });

  it('startProviderEmulator', async () => {
    await fc.assert(
      fc.asyncProperty(
        options({
          port: fc.oneof(fc.constant(0), fc.double(), fc.integer({ min: -5, max: -1 }), fc.constant(70_000)),
          keys: anything,
          defaultLimits: anything,
          revokedKeys: anything,
          windowMs: badNumber,
          latencyMs: badNumber,
          faults: anything,
          seed: anything,
          clock: anything,
        }),
        async (input) => {
          const emulator = await expectTypedAsync(() => startProviderEmulator(input as never));
          await emulator?.close();
        },
      ),
      { numRuns: 60 },
    );
  });

  const sinkOptions = fc.record(
    {
      name: anything,
      prefix: anything,
      maxBytes: badNumber,
      maxAgeMs: badNumber,
      sync: anything,
      table: anything,
      url: wrongOr(fc.constantFrom('http://127.0.0.1:9/hook', 'ftp://x', 'nope')),
      secret: anything,
      headers: anything,
      timeoutMs: badNumber,
      attempts: badNumber,
      retryDelayMs: badNumber,
      fetch: anything,
      database: anything,
      closeDatabase: anything,
    },
    { requiredKeys: [] },
  );

  it('createJsonlSink and createWebhookSink (JSONL files kept inside a temporary folder)', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(sinkOptions, anything), async (input) => {
        n++;
        const directory = join(dataDir, `jsonl-${n}`);
        const jsonlInput =
          typeof input === 'object' && input !== null ? overriding(input, { directory }) : input;
        const jsonl = expectTyped(() => createJsonlSink(jsonlInput as never));
        await expectTypedAsync(async () => jsonl?.close?.());
        expectTyped(() => createWebhookSink(input as never));
      }),
      runs,
    );
  });

  it('createSqliteSink with options that are objects (the file kept in memory)', async () => {
    await fc.assert(
      fc.asyncProperty(sinkOptions, async (input) => {
        const sink = expectTyped(() => createSqliteSink(overriding(input, { path: ':memory:' }) as never));
        await expectTypedAsync(async () => sink?.close?.());
      }),
      { ...runs, examples: [[{ table: Object.create(null) }]] },
    );
  });

  it('createMemorySink, createSqliteSink and createSqlSink with any options', () => {
    fc.assert(
      fc.property(fc.oneof(sinkOptions, anything), (input) => {
        expectTyped(() => createMemorySink(input as never));
        expectTyped(() => createSqlSink(input as never));
        if (typeof input !== 'object' || input === null) expectTyped(() => createSqliteSink(input as never));
      }),
      { ...runs, examples: [[null]] },
    );
  });
});
