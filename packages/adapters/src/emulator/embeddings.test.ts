import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { embeddingOf } from './embeddings.js';
import { type ProviderEmulator, startProviderEmulator } from './index.js';

let emulator: ProviderEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

describe('embedding endpoints through the official SDKs', () => {
  it('gives unit vectors that depend only on model and text', () => {
    const vector = embeddingOf('m', 'hello', 16);
    expect(vector).toHaveLength(16);
    expect(Math.hypot(...vector)).toBeCloseTo(1, 10);
    expect(embeddingOf('m', 'hello', 16)).toEqual(vector);
  });

  it('answers OpenAI /v1/embeddings in base64 (the SDK default) and in floats, with usage', async () => {
    emulator = await startProviderEmulator();
    const client = new OpenAI({ apiKey: 'sk-embed', baseURL: emulator.urls.openai, maxRetries: 0 });
    const base64 = await client.embeddings.create({
      model: 'text-embedding-3-small',
      input: ['a b c d', 'e'],
    });
    const floats = await client.embeddings.create({
      model: 'text-embedding-3-small',
      input: ['a b c d', 'e'],
      encoding_format: 'float',
    });
    expect(base64.data[0]?.embedding).toHaveLength(1536);
    expect(base64.data[0]?.embedding[0]).toBeCloseTo(floats.data[0]?.embedding[0] ?? 0, 6);
    expect(floats.usage).toEqual({ prompt_tokens: 3, total_tokens: 3 });
    expect(emulator.counters.forKey('sk-embed')).toMatchObject({ requests: 2, ok: 2, inputTokens: 6 });
  });

  it('answers Gemini batchEmbedContents, and refuses more than 100 texts as the API does', async () => {
    emulator = await startProviderEmulator();
    const client = new GoogleGenAI({ apiKey: 'g-embed', httpOptions: { baseUrl: emulator.urls.google } });
    const result = await client.models.embedContent({
      model: 'gemini-embedding-001',
      contents: ['one', 'two'],
      config: { outputDimensionality: 64 },
    });
    expect(result.embeddings?.map((embedding) => embedding.values?.length)).toEqual([64, 64]);
    const error = await client.models
      .embedContent({
        model: 'gemini-embedding-001',
        contents: Array.from({ length: 101 }, (_, n) => `t${n}`),
      })
      .catch((caught: unknown) => caught);
    expect(String(error)).toContain('at most 100 requests can be in one batch');
  });
});
