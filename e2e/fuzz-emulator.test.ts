import { withResilience } from '@forge1/adapters';
import { anthropic } from '@forge1/adapters/anthropic';
import { type EmulatorFault, type ProviderEmulator, startProviderEmulator } from '@forge1/adapters/emulator';
import { google } from '@forge1/adapters/google';
import { openai } from '@forge1/adapters/openai';
import { type ProviderAdapterV1, Secret } from '@forge1/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectTypedAsync, trackUnhandled } from './support/fuzz.ts';

// Malformed provider answers (cut JSON bodies, broken stream events, dropped sockets before any
// byte or mid-stream, errors mid-stream) on every provider, streamed and not, through the real
// adapters alone and wrapped in withResilience: a typed Forge1Error or an answer, never another
// exception, a hang or an unhandled rejection.
const models = { openai: 'gpt-4o-mini', anthropic: 'claude-haiku-4-5', google: 'gemini-2.5-flash' } as const;
type Provider = keyof typeof models;
const call = { apiKey: new Secret('sk-fuzz-emulator-0000000000'), keyId: 'fuzz', timeoutMs: 3_000 };

const fault: fc.Arbitrary<EmulatorFault> = fc.oneof(
  fc.constant<EmulatorFault>({ kind: 'malformed' }),
  fc.constant<EmulatorFault>({ kind: 'drop' }),
  fc.constant<EmulatorFault>({ kind: 'drop', midStream: true }),
  fc
    .constantFrom(undefined, 429, 500, 503, 529)
    .map(
      (status): EmulatorFault =>
        status === undefined ? { kind: 'midStream' } : { kind: 'midStream', status },
    ),
);

describe('fuzzing malformed provider answers from the emulator', () => {
  let emulator: ProviderEmulator;
  let adapters: Record<Provider, { raw: ProviderAdapterV1; resilient: ProviderAdapterV1 }>;
  let unhandled: ReturnType<typeof trackUnhandled>;
  beforeAll(async () => {
    unhandled = trackUnhandled();
    emulator = await startProviderEmulator({ seed: 9 });
    const wrap = (raw: ProviderAdapterV1) => ({
      raw,
      resilient: withResilience(raw, { retry: { retries: 1, minDelayMs: 1, maxDelayMs: 2 }, breaker: false }),
    });
    adapters = {
      openai: wrap(openai({ baseURL: emulator.urls.openai })),
      anthropic: wrap(anthropic({ baseURL: emulator.urls.anthropic })),
      google: wrap(google({ baseURL: emulator.urls.google })),
    };
  });
  afterAll(async () => {
    for (const { resilient } of Object.values(adapters)) await resilient.close?.();
    await emulator.close();
    unhandled.dispose();
    expect(unhandled.seen).toEqual([]);
  });

  it('every provider, streamed or not, raw or resilient', { timeout: 60_000 }, async () => {
    // A midStream fault matches streaming requests only (the emulator's rule), so only the runs
    // whose fault applies must have seen one.
    let applicable = 0;
    await fc.assert(
      fc.asyncProperty(
        fault,
        fc.constantFrom<Provider>('openai', 'anthropic', 'google'),
        fc.boolean(),
        fc.boolean(),
        fc.string({ maxLength: 60 }),
        async (injected, provider, stream, resilient, prompt) => {
          emulator.setFaults([{ ...injected, match: { provider } }]);
          if (stream || injected.kind !== 'midStream') applicable++;
          const adapter = adapters[provider][resilient ? 'resilient' : 'raw'];
          const request = {
            model: models[provider],
            messages: [{ role: 'user' as const, content: `Tell me about ${prompt} in detail.` }],
          };
          await expectTypedAsync(async () => {
            if (!stream) return adapter.chat(request, call);
            let chunks = 0;
            for await (const _chunk of adapter.stream(request, call)) chunks++;
            return chunks;
          }, 5_000);
        },
      ),
      { numRuns: 60 },
    );
    // The faults did fire: the property saw broken answers, not only clean ones.
    expect(applicable).toBeGreaterThan(30);
    expect(emulator.counters.total().faults).toBeGreaterThanOrEqual(applicable);
  });
});
