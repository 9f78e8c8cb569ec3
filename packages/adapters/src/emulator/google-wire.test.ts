import { createFakeClock } from '@forge1/core/testing';
import { ApiError, FunctionCallingConfigMode, GoogleGenAI, Type } from '@google/genai';
import { afterEach, describe, expect, it } from 'vitest';
import { type ProviderEmulator, type ProviderEmulatorOptions, startProviderEmulator } from './index.js';

let emulator: ProviderEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function setup(options: ProviderEmulatorOptions = {}, apiKey = 'google-test-key') {
  emulator = await startProviderEmulator(options);
  return { emulator, client: new GoogleGenAI({ apiKey, httpOptions: { baseUrl: emulator.urls.google } }) };
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as ApiError,
  );

describe('Gemini generateContent through the official SDK', () => {
  it('answers text with usageMetadata and finishReason STOP', async () => {
    const { client } = await setup();
    const response = await client.models.generateContent({
      model: 'gemini-2.5-pro',
      contents: 'What is a kettle?',
    });
    expect(response.text?.length).toBeGreaterThan(20);
    expect(response.candidates?.[0]?.finishReason).toBe('STOP');
    expect(response.usageMetadata?.promptTokenCount).toBe(Math.ceil('What is a kettle?'.length / 4));
    expect(response.usageMetadata?.candidatesTokenCount).toBe(Math.ceil((response.text ?? '').length / 4));
  });

  it('streams SSE chunks, each with cumulative usageMetadata', async () => {
    const { client } = await setup();
    const whole = await client.models.generateContent({
      model: 'gemini-2.5-pro',
      contents: 'Compare two databases',
    });
    const stream = await client.models.generateContentStream({
      model: 'gemini-2.5-pro',
      contents: 'Compare two databases',
    });
    let text = '';
    const counts: number[] = [];
    for await (const chunk of stream) {
      text += chunk.text ?? '';
      counts.push(chunk.usageMetadata?.candidatesTokenCount ?? -1);
    }
    expect(text).toBe(whole.text);
    expect(counts.length).toBeGreaterThan(1);
    expect([...counts].sort((a, b) => a - b)).toEqual(counts);
    expect(counts.at(-1)).toBe(whole.usageMetadata?.candidatesTokenCount);
  });

  it('returns a whole functionCall when the function calling mode is ANY', async () => {
    const { client } = await setup();
    const response = await client.models.generateContent({
      model: 'gemini-2.5-flash',
      contents: 'Book a table',
      config: {
        tools: [
          {
            functionDeclarations: [
              {
                name: 'book_table',
                parameters: {
                  type: Type.OBJECT,
                  properties: { guests: { type: Type.INTEGER }, name: { type: Type.STRING } },
                  required: ['guests', 'name'],
                },
              },
            ],
          },
        ],
        toolConfig: { functionCallingConfig: { mode: FunctionCallingConfigMode.ANY } },
      },
    });
    const call = response.functionCalls?.[0];
    expect(call?.name).toBe('book_table');
    expect(Number.isInteger(call?.args?.guests)).toBe(true);
    expect(typeof call?.args?.name).toBe('string');
  });

  it('answers JSON matching responseSchema in JSON mode', async () => {
    const { client } = await setup();
    const response = await client.models.generateContent({
      model: 'gemini-2.5-flash',
      contents: 'A city',
      config: {
        responseMimeType: 'application/json',
        responseSchema: {
          type: Type.OBJECT,
          properties: {
            city: { type: Type.STRING },
            tags: { type: Type.ARRAY, items: { type: Type.STRING } },
          },
        },
      },
    });
    const value = JSON.parse(response.text ?? '');
    expect(typeof value.city).toBe('string');
    expect(Array.isArray(value.tags)).toBe(true);
  });

  it('stops at maxOutputTokens with finishReason MAX_TOKENS', async () => {
    const { client } = await setup();
    const response = await client.models.generateContent({
      model: 'gemini-2.5-pro',
      contents: 'Design a data platform',
      config: { maxOutputTokens: 4 },
    });
    expect(response.candidates?.[0]?.finishReason).toBe('MAX_TOKENS');
    expect(response.usageMetadata?.candidatesTokenCount).toBeLessThanOrEqual(4);
  });

  it('refuses a revoked key with 400 INVALID_ARGUMENT and API_KEY_INVALID, as Gemini does', async () => {
    const { client } = await setup({ revokedKeys: ['google-test-key'] });
    const error = await failure(client.models.generateContent({ model: 'gemini-2.5-flash', contents: 'hi' }));
    expect(error).toBeInstanceOf(ApiError);
    expect(error?.status).toBe(400);
    expect(error?.message).toContain('API_KEY_INVALID');
    expect(error?.message).not.toContain('google-test-key');
  });

  it('answers 429 RESOURCE_EXHAUSTED with Help, QuotaFailure and RetryInfo, and no rate-limit headers', async () => {
    const clock = createFakeClock();
    const { client } = await setup({ keys: { 'google-test-key': { rpm: 1 } }, clock, windowMs: 10_000 });
    await client.models.generateContent({ model: 'gemini-2.5-flash', contents: 'hi' });
    await clock.advance(2_500);
    const error = await failure(client.models.generateContent({ model: 'gemini-2.5-flash', contents: 'hi' }));
    expect(error?.status).toBe(429);
    const body = JSON.parse(error?.message ?? '{}');
    expect(body.error.status).toBe('RESOURCE_EXHAUSTED');
    expect(body.error.message).toContain('Please retry in 7.5s.');
    const types = body.error.details.map((detail: { '@type': string }) => detail['@type'].split('.').at(-1));
    expect(types).toEqual(['Help', 'QuotaFailure', 'RetryInfo']);
    expect(body.error.details[2].retryDelay).toBe('7s');
    expect(body.error.details[1].violations[0].quotaDimensions.model).toBe('gemini-2.5-flash');
  });

  it('refuses an input over the context window with the input token count message', async () => {
    const { client } = await setup();
    const error = await failure(
      client.models.generateContent({ model: 'unknown-model', contents: 'y'.repeat(4 * 128_001) }),
    );
    expect(error?.status).toBe(400);
    expect(error?.message).toContain(
      'The input token count (128001) exceeds the maximum number of tokens allowed (128000).',
    );
  });

  it('throws the mid-stream error chunk as an ApiError with its code', async () => {
    const { client } = await setup({ faults: [{ kind: 'midStream', status: 503 }] });
    const read = async () => {
      const stream = await client.models.generateContentStream({
        model: 'gemini-2.5-pro',
        contents: 'Compare two databases in depth',
      });
      for await (const _chunk of stream) {
        // drain
      }
    };
    const error = await failure(read());
    expect(error).toBeInstanceOf(ApiError);
    expect(error?.status).toBe(503);
  });

  it('accepts the key as ?key= and answers a non-SSE stream as a JSON array', async () => {
    const { emulator: running } = await setup();
    const response = await fetch(
      `${running.url}/v1beta/models/gemini-2.5-flash:streamGenerateContent?key=query-key`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi there' }] }] }),
      },
    );
    const chunks = (await response.json()) as Array<{ usageMetadata: unknown }>;
    expect(response.status).toBe(200);
    expect(chunks.length).toBeGreaterThan(0);
    expect(running.counters.forKey('query-key').ok).toBe(1);
  });

  it('reports cachedContentTokenCount for a repeated long system instruction', async () => {
    const { client } = await setup();
    const request = {
      model: 'gemini-2.5-flash',
      contents: 'hi',
      config: { systemInstruction: 'Answer as a patient teacher would. '.repeat(150) },
    };
    await client.models.generateContent(request);
    const second = await client.models.generateContent(request);
    expect(second.usageMetadata?.cachedContentTokenCount).toBeGreaterThan(1000);
  });

  it('answers an unknown method with NOT_FOUND', async () => {
    const { client } = await setup();
    const error = await failure(client.models.countTokens({ model: 'gemini-2.5-flash', contents: 'hi' }));
    expect(error?.status).toBe(404);
    expect(error?.message).toContain('NOT_FOUND');
  });
});

describe('Gemini streamGenerateContent without alt=sse', () => {
  it('puts a mid-stream error object inside the JSON array', async () => {
    const { emulator: running } = await setup({ faults: [{ kind: 'midStream', status: 503 }] });
    const response = await fetch(`${running.url}/v1beta/models/gemini-2.5-pro:streamGenerateContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': 'k' },
      body: JSON.stringify({
        contents: [{ role: 'user', parts: [{ text: 'Compare two databases in depth' }] }],
      }),
    });
    const chunks = (await response.json()) as Array<{ error?: { code: number } }>;
    expect(chunks.at(-1)?.error?.code).toBe(503);
    expect(chunks.length).toBeGreaterThan(1);
    expect(running.counters.total()).toMatchObject({ errors: 1, ok: 0 });
  });
});
