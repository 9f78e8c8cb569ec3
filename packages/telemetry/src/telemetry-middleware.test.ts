import { ProxyTracerProvider, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { createFixtureGateway, prompt } from '../test/gateway-fixture.ts';
import { createOtelHarness } from '../test/otel-harness.ts';
import { telemetryMiddleware } from './telemetry-middleware.js';

let harness = createOtelHarness();
afterEach(async () => {
  await harness.shutdown();
  harness = createOtelHarness();
});

const ask = (content = prompt) => ({
  tenant: 'acme',
  session: 'conversation-7',
  maxTokens: 200,
  messages: [{ role: 'user' as const, content }],
});

function setup(
  options: {
    model?: string;
    fallbacks?: [];
    captureContent?: boolean;
    redact?: (text: string) => string;
  } = {},
) {
  const middleware = telemetryMiddleware({
    tracerProvider: harness.tracerProvider,
    ...(options.captureContent === undefined ? {} : { captureContent: options.captureContent }),
    ...(options.redact ? { redact: options.redact } : {}),
  });
  return createFixtureGateway({
    ...(options.model ? { model: options.model } : {}),
    ...(options.fallbacks ? { fallbacks: options.fallbacks } : {}),
    gateway: { middleware: [middleware] },
  });
}

/** The request span and its attempt spans, in the order the attempts started. */
function tree() {
  const spans = harness.spans();
  const requests = spans.filter((span) => span.parentSpanContext === undefined);
  expect(requests).toHaveLength(1);
  const request = requests[0]!;
  const attempts = spans
    .filter((span) => span.parentSpanContext?.spanId === request.spanContext().spanId)
    .sort((a, b) => Number(a.attributes['forge1.attempt']) - Number(b.attributes['forge1.attempt']));
  return { request, attempts };
}

const everyText = (spans: readonly ReadableSpan[]) =>
  JSON.stringify(
    spans.map((span) => ({ name: span.name, attributes: span.attributes, events: span.events })),
  );

describe('telemetryMiddleware: spans', () => {
  it('traces a chat as a CLIENT request span with one child span per attempt and the GenAI attributes', async () => {
    const { gateway } = setup();
    const answer = await gateway.chat(ask());
    const { request, attempts } = tree();
    expect(request.name).toBe('chat gpt-4.1-nano');
    expect(request.kind).toBe(SpanKind.CLIENT);
    expect(request.attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4.1-nano',
      'gen_ai.request.max_tokens': 200,
      'gen_ai.response.model': 'gpt-4.1-nano',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.usage.output_tokens': 7,
      'gen_ai.conversation.id': 'conversation-7',
      'forge1.request.id': answer.requestId,
      'forge1.tenant': 'acme',
      'forge1.tier': 'enterprise',
      'forge1.level': 'moderate',
      'forge1.score': 0.42,
      'forge1.cascaded': false,
      'forge1.fallback': false,
      'forge1.attempts': 1,
      'forge1.cost_micros': answer.costMicros,
    });
    expect(attempts).toHaveLength(1);
    expect(attempts[0]!.name).toBe('chat gpt-4.1-nano');
    expect(attempts[0]!.kind).toBe(SpanKind.CLIENT);
    expect(attempts[0]!.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4.1-nano',
      'gen_ai.response.model': 'gpt-4.1-nano',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.usage.output_tokens': 7,
      'forge1.attempt': 1,
      'forge1.key.id': 'key-openai-1',
      'forge1.cascaded': false,
      'forge1.fallback': false,
      'forge1.cost_micros': answer.costMicros,
    });
    expect(typeof attempts[0]!.attributes['forge1.queue_wait_ms']).toBe('number');
    expect(request.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('traces a stream with gen_ai.request.stream and the time to the first chunk', async () => {
    const { gateway } = setup();
    const stream = gateway.stream(ask());
    let text = '';
    for await (const chunk of stream) if (chunk.type === 'text-delta') text += chunk.text;
    expect(text).toBe('answer from gpt-4.1-nano');
    const { request, attempts } = tree();
    expect(request.attributes).toMatchObject({
      'gen_ai.request.stream': true,
      'gen_ai.response.model': 'gpt-4.1-nano',
      'gen_ai.usage.output_tokens': 7,
    });
    expect(request.attributes['gen_ai.response.time_to_first_chunk']).toBeGreaterThanOrEqual(0);
    expect(attempts.map((span) => span.attributes['gen_ai.request.stream'])).toEqual([true]);
  });

  it('traces a cascade: the weak attempt, then the stronger one flagged cascaded', async () => {
    const { gateway } = setup();
    const answer = await gateway.chat(ask('please hedge'));
    expect(answer.cascaded).toBe(true);
    const { request, attempts } = tree();
    expect(attempts.map((span) => [span.name, span.attributes['forge1.cascaded']])).toEqual([
      ['chat gpt-4.1-nano', false],
      ['chat gpt-4.1', true],
    ]);
    expect(request.name).toBe('chat gpt-4.1-nano');
    expect(request.attributes).toMatchObject({
      'gen_ai.request.model': 'gpt-4.1-nano',
      'gen_ai.response.model': 'gpt-4.1',
      'forge1.cascaded': true,
      'forge1.attempts': 2,
      'gen_ai.usage.output_tokens': 12,
    });
  });

  it('traces a fallback: a failed attempt with error.type, then the fallback provider', async () => {
    const { gateway } = setup({ model: 'gpt-4.1-down' });
    await gateway.chat(ask());
    const { request, attempts } = tree();
    expect(attempts.map((span) => span.attributes['gen_ai.provider.name'])).toEqual(['openai', 'anthropic']);
    expect(attempts[0]!.attributes['error.type']).toBe('provider_unavailable');
    expect(attempts[0]!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'provider_unavailable' });
    expect(attempts[1]!.attributes).toMatchObject({
      'forge1.fallback': true,
      'gen_ai.request.model': 'claude-haiku-4-5',
    });
    expect(request.attributes).toMatchObject({
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': 'gpt-4.1-down',
      'gen_ai.response.model': 'claude-haiku-4-5',
      'forge1.fallback': true,
    });
    expect(request.attributes['error.type']).toBeUndefined();
  });

  it('marks a failed request with error.type and an error status naming only the code', async () => {
    const { gateway } = setup({ model: 'gpt-4.1-limited', fallbacks: [] });
    await expect(gateway.chat({ ...ask(), tenant: 'beta' })).rejects.toThrow();
    const { request, attempts } = tree();
    expect(request.attributes).toMatchObject({
      'error.type': 'provider_rate_limited',
      'forge1.tenant': 'beta',
      'forge1.tier': 'standard',
    });
    expect(request.status).toEqual({ code: SpanStatusCode.ERROR, message: 'provider_rate_limited' });
    expect(attempts.every((span) => span.attributes['error.type'] === 'provider_rate_limited')).toBe(true);
    expect(attempts.map((span) => span.attributes['forge1.key.id'])).toEqual(
      expect.arrayContaining(['key-openai-1', 'key-openai-2']),
    );
  });

  it("with the API's no-op tracer, answers and fails exactly as a gateway without it", async () => {
    // No tracer provider registered: the spans are the API's no-op spans.
    const noop = telemetryMiddleware({ tracerProvider: new ProxyTracerProvider() });
    const run = async (middleware: [] | [typeof noop], model: string, tenant = 'acme') => {
      const { gateway } = createFixtureGateway({ model, gateway: { middleware } });
      try {
        const result = await gateway.chat({ ...ask(), tenant, requestId: 'req-1' });
        return { text: result.text, provider: result.provider, attempts: result.attempts.length };
      } catch (error) {
        return { error: (error as { code?: string }).code };
      }
    };
    for (const [model, tenant] of [
      ['gpt-4.1-mini', 'acme'],
      ['gpt-4.1-down', 'acme'],
      ['gpt-4.1-limited', 'beta'],
    ] as const) {
      expect(await run([noop], model, tenant)).toEqual(await run([], model, tenant));
    }
    expect(harness.spans()).toHaveLength(0);
  });

  it('records no prompt text, answer text or secret by default', async () => {
    const { gateway } = setup();
    await gateway.chat(ask());
    const text = everyText(harness.spans());
    expect(text).not.toContain('4242-SECRET-PROMPT');
    expect(text).not.toContain('answer from');
    expect(text).not.toContain('sk-test');
    expect(text).not.toContain('gen_ai.input.messages');
  });

  it('records the prompt and the answer after redaction with captureContent', async () => {
    const { gateway } = setup({
      captureContent: true,
      redact: (text) => text.replace(/\d{4}-SECRET/g, '[account]'),
    });
    await gateway.chat(ask());
    const { request, attempts } = tree();
    expect(JSON.parse(String(request.attributes['gen_ai.input.messages']))).toEqual([
      {
        role: 'user',
        parts: [{ type: 'text', content: 'Compare two pension plans for my account [account]-PROMPT' }],
      },
    ]);
    expect(JSON.parse(String(request.attributes['gen_ai.output.messages']))).toEqual([
      {
        role: 'assistant',
        parts: [{ type: 'text', content: 'answer from gpt-4.1-nano' }],
        finish_reason: 'stop',
      },
    ]);
    expect(attempts[0]!.attributes['gen_ai.output.messages']).toBe(
      request.attributes['gen_ai.output.messages'],
    );
    expect(everyText(harness.spans())).not.toContain('4242-SECRET');
  });

  it('masks credentials in captured content when no redactor is given', async () => {
    const { gateway } = setup({ captureContent: true });
    await gateway.chat(ask('my key is sk-live-0123456789abcdef, keep it safe'));
    const { request } = tree();
    expect(String(request.attributes['gen_ai.input.messages'])).toContain(
      'my key is [redacted], keep it safe',
    );
  });

  it('refuses hook arguments that are not objects, or that throw when read, with a validation error', async () => {
    const middleware = telemetryMiddleware({ tracerProvider: harness.tracerProvider });
    const refused = expect.objectContaining({ code: 'validation_error' });
    const throwing = Object.defineProperty({ state: {} }, 'tenantId', {
      get: () => {
        throw new RangeError('from the caller');
      },
    });
    expect(() => middleware.transformRequest!({ messages: [] }, undefined as never)).toThrow(refused);
    expect(() => middleware.transformRequest!({ messages: [] }, throwing as never)).toThrow(refused);
    expect(() => middleware.transformChunk!({ type: 'text-delta', text: 'a' }, {} as never)).toThrow(refused);
    expect(() => middleware.onResult!({ ok: true } as never, { state: {} } as never)).toThrow(refused);
    const next = async () => {
      throw new Error('never called');
    };
    await expect(middleware.wrapAttempt!({} as never, 'next' as never, {} as never)).rejects.toMatchObject({
      code: 'validation_error',
    });
    await expect(middleware.wrapAttempt!(null as never, next, {} as never)).rejects.toMatchObject({
      code: 'validation_error',
    });
  });
});
