import { createFakeClock } from '@forge1/core/testing';
import OpenAI, { type APIError } from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { type ProviderEmulator, type ProviderEmulatorOptions, startProviderEmulator } from './index.js';

let emulator: ProviderEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function setup(options: ProviderEmulatorOptions = {}, apiKey = 'sk-openai-test') {
  emulator = await startProviderEmulator(options);
  return { emulator, client: new OpenAI({ apiKey, baseURL: emulator.urls.openai, maxRetries: 0 }) };
}

const ask = (content: string, model = 'gpt-4.1') => ({
  model,
  messages: [{ role: 'user' as const, content }],
});

describe('OpenAI chat completions through the official SDK', () => {
  it('answers plain text with usage and a stop finish', async () => {
    const { client } = await setup();
    const result = await client.chat.completions.create(ask('What is a kettle?'));
    const choice = result.choices[0];
    expect(result.object).toBe('chat.completion');
    expect(choice?.message.content?.length).toBeGreaterThan(20);
    expect(choice?.finish_reason).toBe('stop');
    expect(result.usage?.prompt_tokens).toBe(Math.ceil('What is a kettle?'.length / 4));
    expect(result.usage?.completion_tokens).toBe(Math.ceil((choice?.message.content ?? '').length / 4));
  });

  it('streams deltas, then the final usage chunk before [DONE] when include_usage is set', async () => {
    const { client } = await setup();
    const whole = await client.chat.completions.create(ask('What is a kettle?'));
    const stream = await client.chat.completions.create({
      ...ask('What is a kettle?'),
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    const finishes: string[] = [];
    let usage: OpenAI.CompletionUsage | undefined | null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.choices[0]?.finish_reason) finishes.push(chunk.choices[0].finish_reason);
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe(whole.choices[0]?.message.content);
    expect(finishes).toEqual(['stop']);
    expect(usage?.completion_tokens).toBe(whole.usage?.completion_tokens);
    expect(emulator?.counters.total().streams).toBe(1);
  });

  it('calls the required tool with arguments that match its schema, streamed as fragments too', async () => {
    const { client } = await setup();
    const request = {
      ...ask('Weather in Paris?'),
      tools: [
        {
          type: 'function' as const,
          function: {
            name: 'get_weather',
            parameters: {
              type: 'object',
              properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['c', 'f'] } },
              required: ['city', 'unit'],
            },
          },
        },
      ],
      tool_choice: 'required' as const,
    };
    const result = await client.chat.completions.create(request);
    const call = result.choices[0]?.message.tool_calls?.[0];
    expect(result.choices[0]?.finish_reason).toBe('tool_calls');
    expect(call?.type === 'function' && call.function.name).toBe('get_weather');
    const args = JSON.parse(call?.type === 'function' ? call.function.arguments : '{}');
    expect(typeof args.city).toBe('string');
    expect(['c', 'f']).toContain(args.unit);

    const stream = client.chat.completions.stream({ ...request, stream: true });
    const final = await stream.finalChatCompletion();
    const streamed = final.choices[0]?.message.tool_calls?.[0];
    expect(streamed?.type === 'function' && JSON.parse(streamed.function.arguments)).toEqual(args);
  });

  it('answers JSON that matches a json_schema response format', async () => {
    const { client } = await setup();
    const result = await client.chat.completions.create({
      ...ask('List a product'),
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'product',
          strict: true,
          schema: {
            type: 'object',
            properties: { name: { type: 'string' }, price: { type: 'number', minimum: 1, maximum: 5 } },
            required: ['name', 'price'],
            additionalProperties: false,
          },
        },
      },
    });
    const value = JSON.parse(result.choices[0]?.message.content ?? '');
    expect(Object.keys(value).sort()).toEqual(['name', 'price']);
    expect(value.price).toBeGreaterThanOrEqual(1);
    expect(value.price).toBeLessThanOrEqual(5);
  });

  it('truncates at max_tokens with finish_reason length', async () => {
    const { client } = await setup();
    const result = await client.chat.completions.create({
      ...ask('Design a resilient payment system'),
      max_tokens: 5,
    });
    expect(result.choices[0]?.finish_reason).toBe('length');
    expect(result.usage?.completion_tokens).toBeLessThanOrEqual(5);
  });

  it('refuses a revoked key with AuthenticationError and code invalid_api_key, without echoing the key', async () => {
    const { client } = await setup({ revokedKeys: ['sk-openai-test'] });
    const error = await client.chat.completions.create(ask('hi')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((error as APIError).code).toBe('invalid_api_key');
    expect(String((error as Error).message)).not.toContain('sk-openai-test');
  });

  it('sends x-ratelimit headers with Go durations, then a 429 with retry-after once the RPM is used', async () => {
    const clock = createFakeClock();
    const { client } = await setup({
      keys: { 'sk-openai-test': { rpm: 2, tpm: 10_000 } },
      clock,
      windowMs: 60_000,
    });
    const first = await client.chat.completions.create(ask('hi')).withResponse();
    expect(first.response.headers.get('x-ratelimit-limit-requests')).toBe('2');
    expect(first.response.headers.get('x-ratelimit-remaining-requests')).toBe('1');
    expect(first.response.headers.get('x-ratelimit-reset-requests')).toBe('30s');
    expect(first.response.headers.get('x-ratelimit-reset-tokens')).toMatch(/^\d+(\.\d+)?(ms|s)$/);
    await client.chat.completions.create(ask('hi'));
    const error = (await client.chat.completions
      .create(ask('hi'))
      .catch((caught: unknown) => caught)) as APIError;
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.code).toBe('rate_limit_exceeded');
    expect(error.type).toBe('requests');
    expect(error.message).toContain('Limit 2, Used 2, Requested 1. Please try again in 30s.');
    expect(error.headers?.get('retry-after')).toBe('30');
    expect(error.headers?.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(error.headers?.get('x-ratelimit-reset-requests')).toBe('1m0s');
    await clock.advance(30_000);
    await expect(client.chat.completions.create(ask('hi'))).resolves.toBeDefined();
  });

  it('refuses a prompt over the context window with context_length_exceeded', async () => {
    const { client } = await setup();
    const error = (await client.chat.completions
      .create(ask('x'.repeat(4 * 130_000), 'gpt-4o'))
      .catch((caught: unknown) => caught)) as APIError;
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.code).toBe('context_length_exceeded');
    expect(error.message).toContain('maximum context length is 128000 tokens');
  });

  it('surfaces injected 500 and 503 as InternalServerError with their status', async () => {
    const { client } = await setup({
      faults: [
        { kind: 'status', status: 503, requests: { to: 1 } },
        { kind: 'status', status: 500 },
      ],
    });
    const first = (await client.chat.completions
      .create(ask('hi'))
      .catch((caught: unknown) => caught)) as APIError;
    const second = (await client.chat.completions
      .create(ask('hi'))
      .catch((caught: unknown) => caught)) as APIError;
    expect(first).toBeInstanceOf(OpenAI.InternalServerError);
    expect(first.status).toBe(503);
    expect(second.status).toBe(500);
    expect(second.type).toBe('server_error');
  });

  it('breaks a stream with an error chunk on a mid-stream fault', async () => {
    const { client } = await setup({ faults: [{ kind: 'midStream', status: 500 }] });
    const stream = await client.chat.completions.create({ ...ask('Tell me about kettles'), stream: true });
    const read = async () => {
      for await (const _chunk of stream) {
        // drain
      }
    };
    await expect(read()).rejects.toBeInstanceOf(OpenAI.APIError);
    expect(emulator?.counters.total().errors).toBe(1);
  });

  it('fails to parse a malformed body and reports a dropped connection as a connection error', async () => {
    const { client } = await setup({
      faults: [{ kind: 'malformed', requests: { to: 1 } }, { kind: 'drop' }],
    });
    await expect(client.chat.completions.create(ask('hi'))).rejects.toThrow();
    await expect(client.chat.completions.create(ask('hi'))).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
    expect(emulator?.counters.total().faults).toBe(2);
  });

  it('answers an unknown route with the OpenAI 404 shape', async () => {
    const { client } = await setup();
    const error = (await client
      .post('/embeddingz', { body: {} })
      .catch((caught: unknown) => caught)) as APIError;
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error.message).toContain('Invalid URL (POST /v1/embeddingz)');
  });

  it('reports cached tokens when the same long system prompt comes again on the same key', async () => {
    const { client } = await setup();
    const system = 'You are a careful assistant. '.repeat(200);
    const request = {
      model: 'gpt-4.1',
      messages: [
        { role: 'system' as const, content: system },
        { role: 'user' as const, content: 'hi' },
      ],
    };
    const first = await client.chat.completions.create(request);
    const second = await client.chat.completions.create(request);
    expect(first.usage?.prompt_tokens_details?.cached_tokens).toBe(0);
    expect(second.usage?.prompt_tokens_details?.cached_tokens).toBe(
      Math.floor(Math.ceil(system.length / 4) / 128) * 128,
    );
  });
});
