import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasRecordedPayloads, recordedEvents, recordedJson } from '../testing/recorded-payloads.js';
import { type ProviderEmulator, startProviderEmulator } from './index.js';

// The usage objects the emulator sends carry the fields, nesting and arithmetic of the
// recorded real payloads (`inference_geo` aside: it is Anthropic-internal).
const keysOf = (value: unknown): string[] => Object.keys(value as object).sort();

let emulator: ProviderEmulator;
beforeAll(async () => {
  emulator = await startProviderEmulator();
});
afterAll(() => emulator.close());

describe.runIf(hasRecordedPayloads())('emulator usage shaped like the recorded real payloads', () => {
  it('OpenAI: the same usage fields and details, completion tokens including reasoning', async () => {
    const real = recordedJson<{ usage: Record<string, unknown> }>('openai/openai-text.json').usage;
    const client = new OpenAI({ apiKey: 'sk-shape', baseURL: emulator.urls.openai, maxRetries: 0 });
    const sent = await client.chat.completions.create({
      model: 'o4-mini',
      messages: [{ role: 'user', content: 'Why is the sky blue?' }],
      reasoning_effort: 'low',
    });
    const usage = sent.usage as unknown as Record<string, unknown>;
    expect(keysOf(usage)).toEqual(keysOf(real));
    expect(keysOf(usage.prompt_tokens_details)).toEqual(keysOf(real.prompt_tokens_details));
    expect(keysOf(usage.completion_tokens_details)).toEqual(keysOf(real.completion_tokens_details));
    expect(sent.usage?.completion_tokens_details?.reasoning_tokens).toBe(256);
    expect(sent.usage?.total_tokens).toBe(
      (sent.usage?.prompt_tokens ?? 0) + (sent.usage?.completion_tokens ?? 0),
    );
  });

  it('Anthropic: the same usage fields in the message and in message_start, with cache_creation', async () => {
    const real = recordedJson<{ usage: Record<string, unknown> }>('anthropic/anthropic-text.json').usage;
    const realStart = recordedEvents<{ type: string; message?: { usage: Record<string, unknown> } }>(
      'anthropic/anthropic-text.chunks.txt',
    )[0]?.message?.usage;
    const client = new Anthropic({ apiKey: 'sk-shape', baseURL: emulator.urls.anthropic, maxRetries: 0 });
    const request = {
      model: 'claude-haiku-4-5',
      max_tokens: 256,
      messages: [{ role: 'user' as const, content: 'Hi' }],
    };
    const sent = await client.messages.create(request);
    const withoutGeo = (usage: Record<string, unknown> | undefined) =>
      keysOf(usage).filter((key) => key !== 'inference_geo');
    expect(keysOf(sent.usage)).toEqual(withoutGeo(real));
    expect(keysOf(sent.usage.cache_creation)).toEqual(keysOf(real.cache_creation));
    const stream = client.messages.stream(request);
    let start: Record<string, unknown> | undefined;
    stream.on('streamEvent', (event) => {
      if (event.type === 'message_start') start = event.message.usage as unknown as Record<string, unknown>;
    });
    await stream.finalMessage();
    expect(keysOf(start)).toEqual(withoutGeo(realStart));
  });

  it('Gemini: thoughts outside candidates and inside the total, as recorded', async () => {
    const real = recordedJson<{ usageMetadata: Record<string, number> }>(
      'google/google-text.json',
    ).usageMetadata;
    expect(real.totalTokenCount).toBe(
      (real.promptTokenCount ?? 0) + (real.candidatesTokenCount ?? 0) + (real.thoughtsTokenCount ?? 0),
    );
    const client = new GoogleGenAI({ apiKey: 'g-shape', httpOptions: { baseUrl: emulator.urls.google } });
    const sent = await client.models.generateContent({
      model: 'gemini-2.5-flash',
      contents: 'Why is the sky blue?',
      config: { thinkingConfig: { thinkingBudget: 1024 } },
    });
    const usage = sent.usageMetadata ?? {};
    expect(keysOf(usage)).toEqual(keysOf(real));
    expect(usage.totalTokenCount).toBe(
      (usage.promptTokenCount ?? 0) + (usage.candidatesTokenCount ?? 0) + (usage.thoughtsTokenCount ?? 0),
    );
  });
});
