import {
  AbortedError,
  ContextLengthError,
  type ProviderAdapterV1,
  ProviderAuthError,
  type ProviderCall,
  ProviderTimeoutError,
  ProviderUnavailableError,
  RateLimitedError,
  Secret,
} from '@forge1/core';
import { createFakeClock, type FakeClock } from '@forge1/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ProviderEmulator, startProviderEmulator } from '../emulator/index.js';
import { withResilience } from '../resilience/with-resilience.js';
import { capabilityCases } from './capability-cases.js';
import {
  ask,
  collect,
  conformanceKeys,
  defaultModels,
  streamedText,
  until,
  weatherTool,
} from './conformance-fixtures.js';
import type { AdapterConformanceOptions, ConformanceCase } from './conformance-options.js';

/**
 * Runs the `ProviderAdapterV1` contract against an adapter, with its real SDK talking to the
 * provider emulator (started and closed by the suite): text, tools and tool results, JSON
 * mode, streams ending with usage, every error class from the provider's real statuses and
 * bodies, Retry-After honoured on fake time, timeouts, and abort closing the connection.
 * Call it at the top level of a vitest test file.
 *
 * @example
 * ```ts
 * import { runAdapterConformance } from '@forge1/adapters/testing';
 * runAdapterConformance({
 *   name: 'my adapter',
 *   provider: 'openai',
 *   create: ({ baseURL, clock }) => myAdapter({ baseURL, clock }),
 * });
 * ```
 */
export function runAdapterConformance(options: AdapterConformanceOptions): void {
  const model = options.model ?? defaultModels[options.provider];
  const providerName = options.providerName ?? options.provider;
  const skip = options.skip ?? {};
  const test = (name: ConformanceCase, title: string, body: () => Promise<void>) => {
    const reason = skip[name];
    if (reason !== undefined) it.skip(`${title} (skipped: ${reason})`, body);
    else it(title, body);
  };

  describe(`adapter conformance: ${options.name}`, () => {
    let emulator: ProviderEmulator;
    let slowEmulator: ProviderEmulator;
    let clock: FakeClock;
    let adapter: ProviderAdapterV1;
    let slowAdapter: ProviderAdapterV1;
    const callWith = (key: string, extra: Partial<ProviderCall> = {}): ProviderCall => ({
      apiKey: new Secret(key),
      keyId: `id-${key.split('-')[3]}`,
      ...extra,
    });
    const good = (extra?: Partial<ProviderCall>) => callWith(conformanceKeys.good, extra);
    const create = (server: ProviderEmulator) =>
      options.create({ baseURL: server.urls[options.provider], urls: server.urls, clock });

    beforeAll(async () => {
      clock = createFakeClock();
      emulator = await startProviderEmulator({
        keys: {
          [conformanceKeys.good]: { rpm: 100_000, tpm: 100_000_000 },
          [conformanceKeys.limited]: { rpm: 1 },
        },
        revokedKeys: [conformanceKeys.revoked],
      });
      // Spreads its latency between stream chunks, so that a stream can be aborted halfway.
      slowEmulator = await startProviderEmulator({ latencyMs: 1000 });
      adapter = create(emulator);
      slowAdapter = create(slowEmulator);
    });
    afterEach(() => {
      emulator.setFaults([]);
    });
    afterAll(async () => {
      await adapter?.close?.();
      await slowAdapter?.close?.();
      await emulator?.close();
      await slowEmulator?.close();
    });

    test('text', 'answers a plain question with text, stop, usage and a request id', async () => {
      expect(adapter.specificationVersion).toBe('v1');
      expect(adapter.provider).toBe(providerName);
      const before = emulator.counters.forKey(conformanceKeys.good);
      const result = await adapter.chat(ask(model), good());
      expect(result.text.length).toBeGreaterThan(0);
      expect(result.finishReason).toBe('stop');
      expect(result.toolCalls).toEqual([]);
      expect(result.provider).toBe(providerName);
      expect(result.usage.inputTokens).toBeGreaterThan(0);
      expect(result.usage.outputTokens).toBeGreaterThan(0);
      expect(result.usage.cachedInputTokens).toBeLessThanOrEqual(result.usage.inputTokens);
      expect(result.providerRequestId).toBeTruthy();
      const after = emulator.counters.forKey(conformanceKeys.good);
      expect(after.ok).toBe(before.ok + 1);
      expect(after.outputTokens - before.outputTokens).toBe(result.usage.outputTokens);
    });

    test('rate-limit-headers', 'returns the rate-limit headers of the response', async () => {
      const result = await adapter.chat(ask(model), good());
      expect(result.rateLimit?.limitRequests).toBe(100_000);
      expect(result.rateLimit?.remainingRequests).toBeLessThan(100_000);
      expect(result.rateLimit?.limitTokens).toBe(100_000_000);
      expect(result.rateLimit?.resetRequestsMs).toBeGreaterThanOrEqual(0);
    });

    test('tools', 'returns the tool call the model makes, with JSON arguments', async () => {
      const result = await adapter.chat(
        {
          ...ask(model, 'What is the weather in Paris?'),
          tools: [weatherTool],
          toolChoice: { name: 'get_weather' },
        },
        good(),
      );
      expect(result.finishReason).toBe('tool-calls');
      expect(result.toolCalls).toHaveLength(1);
      const [call] = result.toolCalls;
      expect(call?.name).toBe('get_weather');
      expect(call?.id).toBeTruthy();
      expect(typeof JSON.parse(call?.arguments ?? '')).toBe('object');
    });

    test('tool-results', 'sends tool results back and gets a text answer', async () => {
      const result = await adapter.chat(
        {
          model,
          tools: [weatherTool],
          messages: [
            { role: 'user', content: 'What is the weather in Paris? Use get_weather.' },
            {
              role: 'assistant',
              content: '',
              toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }],
            },
            { role: 'tool', toolCallId: 'call_1', name: 'get_weather', content: '{"celsius":21}' },
          ],
        },
        good(),
      );
      expect(result.finishReason).toBe('stop');
      expect(result.toolCalls).toEqual([]);
      expect(result.text.length).toBeGreaterThan(0);
    });

    test('json', 'answers JSON matching the schema in JSON mode', async () => {
      const schema = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] };
      const result = await adapter.chat(
        {
          ...ask(model, 'Reply in JSON: what is a token bucket?'),
          responseFormat: { type: 'json', schema, name: 'reply' },
        },
        good(),
      );
      expect(result.finishReason).toBe('stop');
      const parsed = JSON.parse(result.text) as { answer?: unknown };
      expect(typeof parsed.answer).toBe('string');
    });

    test(
      'stream',
      'streams the same answer as chat and ends with one finish chunk carrying usage',
      async () => {
        const request = ask(model, 'Describe how a circuit breaker protects a service.');
        const whole = await adapter.chat(request, good());
        const { chunks, error } = await collect(adapter.stream(request, good()));
        expect(error).toBeUndefined();
        expect(streamedText(chunks)).toBe(whole.text);
        expect(chunks.filter((chunk) => chunk.type === 'text-delta').length).toBeGreaterThan(1);
        const finish = chunks.at(-1);
        expect(chunks.filter((chunk) => chunk.type === 'finish')).toHaveLength(1);
        if (finish?.type !== 'finish') throw new Error('the last chunk is not finish');
        expect(finish.finishReason).toBe('stop');
        expect(finish.provider).toBe(providerName);
        expect(finish.usage.outputTokens).toBe(whole.usage.outputTokens);
        expect(finish.usage.inputTokens).toBeGreaterThan(0);
      },
    );

    test('stream-tools', 'streams a tool call as deltas and one complete call', async () => {
      const { chunks, error } = await collect(
        adapter.stream(
          {
            ...ask(model, 'What is the weather in Oslo?'),
            tools: [weatherTool],
            toolChoice: { name: 'get_weather' },
          },
          good(),
        ),
      );
      expect(error).toBeUndefined();
      const calls = chunks.filter((chunk) => chunk.type === 'tool-call');
      expect(calls).toHaveLength(1);
      const deltas = chunks.filter((chunk) => chunk.type === 'tool-call-delta');
      expect(deltas.length).toBeGreaterThan(0);
      const call = calls[0]?.type === 'tool-call' ? calls[0].toolCall : undefined;
      expect(call?.name).toBe('get_weather');
      expect(
        deltas.map((delta) => (delta.type === 'tool-call-delta' ? delta.argumentsDelta : '')).join(''),
      ).toBe(call?.arguments);
      expect(chunks.at(-1)).toMatchObject({ type: 'finish', finishReason: 'tool-calls' });
    });

    test('auth-error', 'turns a refused key into ProviderAuthError without leaking the key', async () => {
      const error = await adapter
        .chat(ask(model), callWith(conformanceKeys.revoked))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderAuthError);
      expect(error).toMatchObject({ provider: providerName, model, keyId: 'id-revoked', retryable: false });
      expect(JSON.stringify(error)).not.toContain(conformanceKeys.revoked);
      expect(String((error as Error).message)).not.toContain(conformanceKeys.revoked);
    });

    test(
      'rate-limited',
      "turns the key's own 429 into RateLimitedError with kind and retryAfterMs",
      async () => {
        emulator.setKeyLimits(conformanceKeys.limited, { rpm: 1 });
        await adapter.chat(ask(model), callWith(conformanceKeys.limited)).catch(() => undefined);
        const error = await adapter
          .chat(ask(model), callWith(conformanceKeys.limited))
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(RateLimitedError);
        expect(error).toMatchObject({
          status: 429,
          kind: 'requests',
          retryable: true,
          provider: providerName,
        });
        expect((error as RateLimitedError).retryAfterMs).toBeGreaterThan(0);
      },
    );

    test('rate-limited-retry-after', 'reads the delay the provider asks for on a 429', async () => {
      emulator.setFaults([{ kind: 'status', status: 429, retryAfterSeconds: 7 }]);
      const error = await adapter.chat(ask(model), good()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RateLimitedError);
      expect((error as RateLimitedError).retryAfterMs).toBe(7000);
    });

    test('unavailable', 'turns a 500 into a retryable ProviderUnavailableError', async () => {
      emulator.setFaults([{ kind: 'status', status: 500 }]);
      const error = await adapter.chat(ask(model), good()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderUnavailableError);
      expect(error).toMatchObject({ status: 500, retryable: true, provider: providerName, model });
    });

    test(
      'overloaded',
      'turns an overload (529 or overloaded 503) into RateLimitedError kind overloaded',
      async () => {
        emulator.setFaults([{ kind: 'status', status: options.provider === 'anthropic' ? 529 : 503 }]);
        const error = await adapter.chat(ask(model), good()).catch((e: unknown) => e);
        expect(Forge1ErrorCode(error)).toMatch(/provider_rate_limited|provider_unavailable/);
        expect((error as { retryable?: boolean }).retryable).toBe(true);
        if (error instanceof RateLimitedError) expect(error.kind).toBe('overloaded');
      },
    );

    test('context-length', 'turns a too-long prompt into ContextLengthError', async () => {
      const huge = 'lorem ipsum dolor sit amet '.repeat(22_000);
      const error = await adapter
        .chat(ask('forge1-conformance-unknown-model', huge), good())
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ContextLengthError);
      expect(error).toMatchObject({ retryable: false, status: 400 });
    });

    test('malformed', 'turns a malformed body into ProviderUnavailableError', async () => {
      emulator.setFaults([{ kind: 'malformed' }]);
      const error = await adapter.chat(ask(model), good()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderUnavailableError);
    });

    test('dropped', 'turns a dropped connection into ProviderUnavailableError', async () => {
      emulator.setFaults([{ kind: 'drop' }]);
      const error = await adapter.chat(ask(model), good()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderUnavailableError);
    });

    test(
      'mid-stream-error',
      'throws the normalised error of an in-stream failure after the first chunks',
      async () => {
        emulator.setFaults([{ kind: 'midStream', status: 500 }]);
        const { chunks, error } = await collect(adapter.stream(ask(model), good()));
        expect(chunks.some((chunk) => chunk.type === 'text-delta')).toBe(true);
        expect(chunks.some((chunk) => chunk.type === 'finish')).toBe(false);
        expect(error).toBeInstanceOf(ProviderUnavailableError);
      },
    );

    test('timeout', 'turns a slow answer into ProviderTimeoutError at timeoutMs (fake time)', async () => {
      emulator.setFaults([{ kind: 'slow', delayMs: 60_000 }]);
      const before = emulator.counters.total().requests;
      const pending = adapter.chat(ask(model), good({ timeoutMs: 5000 })).catch((e: unknown) => e);
      await until(() => emulator.counters.total().requests > before, 'the request reached the emulator');
      await clock.advance(5000);
      expect(await pending).toBeInstanceOf(ProviderTimeoutError);
    });

    test('abort-before', 'refuses an already aborted call with AbortedError and sends nothing', async () => {
      const before = emulator.counters.total().requests;
      const controller = new AbortController();
      controller.abort();
      const error = await adapter
        .chat(ask(model), good({ signal: controller.signal }))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AbortedError);
      const streamed = await collect(adapter.stream(ask(model), good({ signal: controller.signal })));
      expect(streamed.error).toBeInstanceOf(AbortedError);
      expect(emulator.counters.total().requests).toBe(before);
    });

    test(
      'abort-mid-stream',
      'aborting mid-stream throws AbortedError and closes the connection',
      async () => {
        const controller = new AbortController();
        const { chunks, error } = await collect(
          slowAdapter.stream(
            ask(model, 'Explain in detail how token buckets refill.'),
            good({ signal: controller.signal }),
          ),
          (chunk) => {
            if (chunk.type === 'text-delta') controller.abort();
          },
        );
        expect(chunks.length).toBeGreaterThan(0);
        expect(error).toBeInstanceOf(AbortedError);
        await until(() => slowEmulator.counters.total().aborted === 1, 'the emulator saw the stream closed');
        expect(slowEmulator.counters.total().streams).toBe(1);
      },
    );

    capabilityCases({
      options,
      model,
      emulator: () => emulator,
      adapter: () => adapter,
      good: () => good(),
      test,
    });

    test(
      'retry-after-honoured',
      'withResilience waits the Retry-After of a 429 before retrying (fake time)',
      async () => {
        emulator.setFaults([{ kind: 'status', status: 429, retryAfterSeconds: 3, requests: { to: 1 } }]);
        const before = emulator.counters.forKey(conformanceKeys.good).requests;
        const resilient = withResilience(adapter, { clock, random: () => 0, breaker: false });
        const pending = resilient.chat(ask(model), good());
        await until(
          () => emulator.counters.forKey(conformanceKeys.good).requests === before + 1,
          'the first attempt',
        );
        await until(() => clock.pending() > 0, 'the backoff timer is set');
        await clock.advance(2999);
        expect(emulator.counters.forKey(conformanceKeys.good).requests).toBe(before + 1);
        await clock.advance(1);
        const result = await pending;
        expect(result.text.length).toBeGreaterThan(0);
        expect(emulator.counters.forKey(conformanceKeys.good).requests).toBe(before + 2);
      },
    );
  });
}

const Forge1ErrorCode = (error: unknown) => String((error as { code?: unknown } | null)?.code);
