import Anthropic, { type APIError } from '@anthropic-ai/sdk';
import { createFakeClock } from '@forge1/core/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type ProviderEmulator, type ProviderEmulatorOptions, startProviderEmulator } from './index.js';

let emulator: ProviderEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

// The SDK warns about deprecated model ids on stderr; keep the test output quiet.
vi.spyOn(console, 'warn').mockImplementation(() => undefined);

async function setup(options: ProviderEmulatorOptions = {}, apiKey = 'sk-ant-test') {
  emulator = await startProviderEmulator(options);
  return { emulator, client: new Anthropic({ apiKey, baseURL: emulator.urls.anthropic, maxRetries: 0 }) };
}

const ask = (content: string, model = 'claude-sonnet-4-6', max_tokens = 1024) => ({
  model,
  max_tokens,
  messages: [{ role: 'user' as const, content }],
});

const weatherTool = {
  name: 'get_weather',
  input_schema: {
    type: 'object' as const,
    properties: { city: { type: 'string' }, days: { type: 'integer', minimum: 1, maximum: 7 } },
    required: ['city', 'days'],
  },
};

describe('Anthropic messages through the official SDK', () => {
  it('answers text with end_turn and usage', async () => {
    const { client } = await setup();
    const message = await client.messages.create(ask('What is a kettle?'));
    const block = message.content[0];
    expect(message.type).toBe('message');
    expect(block?.type).toBe('text');
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage.input_tokens).toBe(Math.ceil('What is a kettle?'.length / 4));
    expect(message.usage.output_tokens).toBe(
      Math.ceil((block?.type === 'text' ? block.text : '').length / 4),
    );
  });

  it('streams named SSE events that the SDK assembles into the same message, with cumulative usage', async () => {
    const { client } = await setup();
    const whole = await client.messages.create(ask('What is a kettle?'));
    const events: string[] = [];
    const stream = client.messages.stream(ask('What is a kettle?'));
    stream.on('streamEvent', (event) => events.push(event.type));
    const final = await stream.finalMessage();
    expect(final.content).toEqual(whole.content);
    expect(final.usage.output_tokens).toBe(whole.usage.output_tokens);
    expect(events[0]).toBe('message_start');
    expect(events.slice(-2)).toEqual(['message_delta', 'message_stop']);
    expect(events).toContain('content_block_delta');
  });

  it('calls a tool forced by tool_choice, streaming input_json_delta fragments', async () => {
    const { client } = await setup();
    const request = {
      ...ask('Plan my trip'),
      tools: [weatherTool],
      tool_choice: { type: 'tool' as const, name: 'get_weather' },
    };
    const message = await client.messages.create(request);
    const block = message.content[0];
    expect(message.stop_reason).toBe('tool_use');
    expect(block?.type === 'tool_use' && block.name).toBe('get_weather');
    const input = block?.type === 'tool_use' ? (block.input as { city: unknown; days: number }) : undefined;
    expect(typeof input?.city).toBe('string');
    expect(input?.days).toBeGreaterThanOrEqual(1);
    expect(input?.days).toBeLessThanOrEqual(7);
    const streamed = await client.messages.stream(request).finalMessage();
    expect(streamed.content).toEqual(message.content);
  });

  it('calls a tool the prompt names, and answers in text after the tool result', async () => {
    const { client } = await setup();
    const first = await client.messages.create({ ...ask('Use get_weather for Oslo'), tools: [weatherTool] });
    const call = first.content[0];
    expect(call?.type).toBe('tool_use');
    const second = await client.messages.create({
      ...ask('Use get_weather for Oslo'),
      tools: [weatherTool],
      messages: [
        { role: 'user', content: 'Use get_weather for Oslo' },
        { role: 'assistant', content: first.content },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: call?.type === 'tool_use' ? call.id : '', content: '4°C' },
          ],
        },
      ],
    });
    expect(second.content[0]?.type).toBe('text');
  });

  it('answers JSON when the system prompt asks for JSON, following a schema written in it', async () => {
    const { client } = await setup();
    const message = await client.messages.create({
      ...ask('Describe a product'),
      system:
        'Reply with JSON only, matching this schema: {"type":"object","properties":{"title":{"type":"string"},"stock":{"type":"integer"}}}',
    });
    const block = message.content[0];
    const value = JSON.parse(block?.type === 'text' ? block.text : '');
    expect(Object.keys(value).sort()).toEqual(['stock', 'title']);
    expect(Number.isInteger(value.stock)).toBe(true);
  });

  it('stops at a stop sequence with stop_reason stop_sequence', async () => {
    const { client } = await setup();
    const message = await client.messages.create({ ...ask('What is a kettle?'), stop_sequences: ['answer'] });
    expect(message.stop_reason).toBe('stop_sequence');
    expect(message.stop_sequence).toBe('answer');
    const block = message.content[0];
    expect(block?.type === 'text' && block.text).not.toContain('answer');
  });

  it('refuses a revoked key with AuthenticationError (authentication_error)', async () => {
    const { client } = await setup({ revokedKeys: ['sk-ant-test'] });
    const error = (await client.messages.create(ask('hi')).catch((caught: unknown) => caught)) as APIError;
    expect(error).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(error.status).toBe(401);
    expect(JSON.stringify(error.error)).toContain('authentication_error');
    expect(error.requestID).toMatch(/^req_011C/);
    expect((error.error as { request_id?: string }).request_id).toBe(error.requestID);
  });

  it('sends anthropic-ratelimit headers in RFC 3339 and a rate_limit_error 429 with retry-after', async () => {
    const clock = createFakeClock(Date.UTC(2026, 0, 1));
    const { client } = await setup({ keys: { 'sk-ant-test': { rpm: 1, tpm: 50_000 } }, clock });
    const first = await client.messages.create(ask('hi')).withResponse();
    expect(first.response.headers.get('anthropic-ratelimit-requests-limit')).toBe('1');
    expect(first.response.headers.get('anthropic-ratelimit-requests-remaining')).toBe('0');
    expect(first.response.headers.get('anthropic-ratelimit-requests-reset')).toBe('2026-01-01T00:01:00Z');
    expect(first.response.headers.get('anthropic-ratelimit-tokens-limit')).toBe('50000');
    expect(first.response.headers.get('anthropic-ratelimit-input-tokens-reset')).toMatch(
      /^2026-01-01T00:00:\d\dZ$/,
    );
    const error = (await client.messages.create(ask('hi')).catch((caught: unknown) => caught)) as APIError;
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    expect(error.headers?.get('retry-after')).toBe('60');
    expect(JSON.stringify(error.error)).toContain('rate_limit_error');
    expect(error.requestID).toMatch(/^req_/);
  });

  it('refuses a prompt over the context window with "prompt is too long"', async () => {
    const { client } = await setup();
    const error = (await client.messages
      .create(ask('x'.repeat(4 * 210_000), 'claude-haiku-4-5'))
      .catch((caught: unknown) => caught)) as APIError;
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect(error.message).toContain('prompt is too long: 210000 tokens > 200000 maximum');
  });

  it('surfaces an injected 529 as OverloadedError and a mid-stream overload as an error event', async () => {
    const { client } = await setup({
      faults: [
        { kind: 'status', status: 529, match: { stream: false } },
        { kind: 'midStream', status: 529 },
      ],
    });
    const error = (await client.messages.create(ask('hi')).catch((caught: unknown) => caught)) as APIError;
    expect(error).toBeInstanceOf(Anthropic.InternalServerError);
    expect(error.status).toBe(529);
    expect(JSON.stringify(error.error)).toContain('overloaded_error');
    await expect(client.messages.stream(ask('Tell me about kettles')).finalMessage()).rejects.toThrow(
      /overloaded_error/,
    );
  });

  it('answers an unknown route with not_found_error', async () => {
    const { client } = await setup();
    const error = await client.post('/v1/unknown', { body: {} }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.NotFoundError);
  });

  it('writes a marked long system prompt to the cache, then reads it, all outside input_tokens', async () => {
    const { client } = await setup();
    const text = 'Follow the house style guide closely. '.repeat(150);
    const system = [
      { type: 'text' as const, text, cache_control: { type: 'ephemeral' as const, ttl: '1h' as const } },
    ];
    const first = await client.messages.create({ ...ask('hi'), system });
    const second = await client.messages.create({ ...ask('hi'), system });
    expect(first.usage.cache_creation_input_tokens).toBeGreaterThan(1000);
    expect(first.usage.cache_creation).toEqual({
      ephemeral_5m_input_tokens: 0,
      ephemeral_1h_input_tokens: first.usage.cache_creation_input_tokens,
    });
    expect(second.usage.cache_read_input_tokens).toBe(first.usage.cache_creation_input_tokens);
    expect(second.usage.cache_creation_input_tokens).toBe(0);
    expect((second.usage.cache_read_input_tokens ?? 0) + second.usage.input_tokens).toBe(
      (first.usage.cache_creation_input_tokens ?? 0) + first.usage.input_tokens,
    );
  });

  it('caches nothing without a cache_control breakpoint, as the API does', async () => {
    const { client } = await setup();
    const request = { ...ask('hi'), system: 'Follow the house style guide closely. '.repeat(150) };
    await client.messages.create(request);
    const second = await client.messages.create(request);
    expect(second.usage.cache_read_input_tokens).toBe(0);
    expect(second.usage.cache_creation_input_tokens).toBe(0);
  });

  it('thinks within the budget: a thinking block, then the answer; output_tokens counts both', async () => {
    const { client } = await setup();
    const request = {
      ...ask('Why is the sky blue?'),
      max_tokens: 4000,
      thinking: { type: 'enabled' as const, budget_tokens: 2000 },
    };
    const plain = await client.messages.create(ask('Why is the sky blue?'));
    const result = await client.messages.create(request);
    const [thinking, text] = result.content;
    expect(thinking?.type).toBe('thinking');
    expect(text?.type).toBe('text');
    const thinkingTokens = thinking?.type === 'thinking' ? thinking.thinking.length / 4 : 0;
    expect(thinkingTokens).toBeGreaterThan(0);
    expect(result.usage.output_tokens).toBe(plain.usage.output_tokens + thinkingTokens);
    const stream = client.messages.stream(request);
    const final = await stream.finalMessage();
    expect(final.content.map((block) => block.type)).toEqual(['thinking', 'text']);
    expect(final.usage.output_tokens).toBe(result.usage.output_tokens);
  });
});
