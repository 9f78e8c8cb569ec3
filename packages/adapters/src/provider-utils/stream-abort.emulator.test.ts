import { type ChatChunk, createSeededRandom, type ProviderAdapterV1, Secret } from '@forge1/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anthropic } from '../anthropic/anthropic-adapter.js';
import { type ProviderEmulator, startProviderEmulator } from '../emulator/index.js';
import { google } from '../google/google-adapter.js';
import { openai } from '../openai/openai-adapter.js';
import { until } from '../testing/conformance-fixtures.js';

// A fresh seed a run, printed; CI replays a fixed one.
const seed = process.env.CI ? 1313 : Math.floor(Math.random() * 2 ** 31);
console.log(`stream-abort seed ${seed} (replay: set CI, or put it here)`);
const random = createSeededRandom(seed);

const wires = [
  { name: 'openai', model: 'gpt-4o-mini', create: (url: string) => openai({ baseURL: `${url}/v1` }) },
  { name: 'anthropic', model: 'claude-haiku-4-5', create: (url: string) => anthropic({ baseURL: url }) },
  { name: 'google', model: 'gemini-2.5-flash', create: (url: string) => google({ baseURL: url }) },
] as const;

let emulator: ProviderEmulator;
beforeAll(async () => {
  // The latency is spread between the chunks, so that a stream can be cut anywhere.
  emulator = await startProviderEmulator({ latencyMs: 120 });
});
afterAll(() => emulator.close());

async function abortAfter(adapter: ProviderAdapterV1, model: string, key: string, cut: number) {
  const controller = new AbortController();
  const seen: ChatChunk[] = [];
  const stream = adapter.stream(
    {
      model,
      messages: [{ role: 'user', content: 'Explain in detail how token buckets refill and burst.' }],
      maxTokens: 512,
    },
    { apiKey: new Secret(key), signal: controller.signal },
  );
  try {
    for await (const chunk of stream) {
      seen.push(chunk);
      if (seen.length >= cut) controller.abort();
    }
  } catch {
    // The abort: what was seen before it is what counts.
  }
  const usage = seen.filter((chunk) => chunk.type === 'usage').at(-1);
  const chars = seen.reduce((sum, chunk) => sum + (chunk.type === 'text-delta' ? chunk.text.length : 0), 0);
  return {
    usage: usage?.type === 'usage' ? usage.usage : undefined,
    chars,
    finished: seen.at(-1)?.type === 'finish',
  };
}

describe.each(wires)('a stream aborted at a random point ($name wire)', ({ name, model, create }) => {
  it('reports the input tokens the emulator counted, as soon as the wire gives them', async () => {
    const adapter = create(emulator.url);
    for (let trial = 0; trial < 4; trial++) {
      const key = `sk-abort-${name}-${seed}-${trial}`;
      const cut = 1 + Math.floor(random() * 12);
      const { usage, chars, finished } = await abortAfter(adapter, model, key, cut);
      await until(
        () => emulator.counters.forKey(key).ok + emulator.counters.forKey(key).aborted === 1,
        'the emulator settled the stream',
      );
      const counted = emulator.counters.forKey(key);
      const what = `trial ${trial}, cut after ${cut} chunks (seed ${seed})`;
      if (name !== 'openai') {
        // Anthropic's message_start and every Gemini chunk carry the usage: known from the first chunk.
        expect(usage, what).toBeDefined();
      }
      // The provider billed the prompt of a cut stream too.
      expect(counted.inputTokens, what).toBeGreaterThan(0);
      if (usage) expect(usage.inputTokens, what).toBe(counted.inputTokens);
      // The emulator counts what it sent; the client received no more than that.
      expect(counted.outputTokens, what).toBeGreaterThanOrEqual(Math.ceil(chars / 4));
      if (finished) expect(counted.ok, what).toBe(1);
    }
  });
});
