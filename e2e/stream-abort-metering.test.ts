// A stream aborted at a random point through the whole gateway, on each of the three wire formats,
// against the provider emulator's per-key counters: every attempt that reached the provider leaves
// one usage record; its input tokens are the provider's where the wire reported them (else the
// gateway's estimate, marked `estimated`); its output never exceeds what the provider sent.
import { anthropic } from '@forge1/adapters/anthropic';
import { type ProviderEmulator, startProviderEmulator } from '@forge1/adapters/emulator';
import { google } from '@forge1/adapters/google';
import { openai } from '@forge1/adapters/openai';
import {
  createGateway,
  createSeededRandom,
  createTenantDirectory,
  type ProviderAdapterV1,
} from '@forge1/core';
import { createRecordingMeter, createStaticRouter } from '@forge1/core/testing';
import { createKeyPool } from '@forge1/keypool';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const seed = process.env.CI ? 2718 : Math.floor(Math.random() * 2 ** 31);
console.log(`stream-abort-metering seed ${seed} (CI replays 2718)`);
const random = createSeededRandom(seed);

const wires: ReadonlyArray<{
  name: 'openai' | 'anthropic' | 'google';
  model: string;
  create: (url: string) => ProviderAdapterV1;
}> = [
  { name: 'openai', model: 'gpt-4o-mini', create: (url) => openai({ baseURL: `${url}/v1` }) },
  { name: 'anthropic', model: 'claude-haiku-4-5', create: (url) => anthropic({ baseURL: url }) },
  { name: 'google', model: 'gemini-2.5-flash', create: (url) => google({ baseURL: url }) },
];

let emulator: ProviderEmulator;
beforeAll(async () => {
  emulator = await startProviderEmulator({ latencyMs: 150 });
});
afterAll(() => emulator.close());

const settled = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
};

describe.each(wires)('a gateway stream aborted at a random point ($name wire)', ({ name, model, create }) => {
  it('meters each attempt that reached the provider once, with the provider’s input tokens', async () => {
    for (let trial = 0; trial < 3; trial++) {
      const secret = `sk-gw-abort-${name}-${seed}-${trial}`;
      const meter = createRecordingMeter();
      const gateway = createGateway({
        tenants: createTenantDirectory({ tenants: [{ id: 'acme', tier: 'standard' }] }),
        router: createStaticRouter({ provider: name, model, level: 'moderate', fallbacks: [], ladder: [] }),
        keys: createKeyPool({
          keys: [{ id: `k-${trial}`, provider: name, secret, rpm: 1000, tpm: 1_000_000 }],
        }),
        providers: { [name]: create(emulator.url) },
        meter,
      });
      const controller = new AbortController();
      const cut = 1 + Math.floor(random() * 10);
      let chunks = 0;
      try {
        for await (const _ of gateway.stream({
          tenant: 'acme',
          messages: [{ role: 'user', content: 'Explain in detail how token buckets refill and burst.' }],
          maxTokens: 400,
          signal: controller.signal,
        })) {
          if (++chunks >= cut) controller.abort();
        }
      } catch {
        // The abort.
      }
      const counted = () => emulator.counters.forKey(secret);
      await settled(() => counted().ok + counted().aborted === 1);
      await settled(() => meter.records.length >= 1);
      const what = `trial ${trial}, cut after ${cut} chunks (seed ${seed})`;
      expect(meter.records, what).toHaveLength(counted().ok + counted().aborted);
      const record = meter.records[0]!;
      if (name !== 'openai') {
        // Anthropic's message_start and every Gemini chunk carry the prompt's count: always the provider's.
        expect(record.inputTokens, what).toBe(counted().inputTokens);
      } else if (record.estimated) {
        // OpenAI sends its usage at the end of a stream; a cut before it is the gateway's estimate.
        expect(record.inputTokens, what).toBeGreaterThan(0);
      } else {
        expect(record.inputTokens, what).toBe(counted().inputTokens);
      }
      expect(record.outputTokens, what).toBeLessThanOrEqual(counted().outputTokens);
      await gateway.close();
    }
  });
});
