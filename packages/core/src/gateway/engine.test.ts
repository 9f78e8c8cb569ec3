import { describe, expect, it, vi } from 'vitest';
import {
  AbortedError,
  type ChatChunk,
  ConfigurationError,
  type ProviderAdapterV1,
  type RouteFeedback,
  type RouterV1,
} from '../index.js';
import { createTenantDirectory } from '../tenant-directory.js';
import { createStaticRouter } from '../testing/index.js';
import { createTestGateway, testMessages } from './test-gateway.js';

/** An adapter whose stream yields the given chunks, then waits for the abort signal. */
function hangingStream(chunks: ChatChunk[], onStart: () => void = () => {}): ProviderAdapterV1 {
  return {
    specificationVersion: 'v1',
    provider: 'openai',
    chat: () => Promise.reject(new Error('not used')),
    async *stream(_request, call) {
      onStart();
      for (const chunk of chunks) yield chunk;
      await new Promise((_, reject) => {
        if (call.signal?.aborted) reject(new AbortedError());
        call.signal?.addEventListener('abort', () => reject(new AbortedError()), { once: true });
      });
    },
  };
}

describe('the attempt engine', () => {
  it('keeps one attempt when the meter rejects after a served answer, and reports the failure', async () => {
    const { gateway, meter } = createTestGateway();
    meter.record = () => Promise.reject(new Error('journal full'));
    const reported = vi.fn();
    gateway.events.on('gateway.error', reported);
    const result = await gateway.chat({ tenant: 'acme', messages: testMessages });
    expect(result.attempts.map((a) => [a.attempt, a.ok])).toEqual([[1, true]]);
    expect(reported).toHaveBeenCalledWith(
      expect.objectContaining({ stage: 'meter', message: 'journal full' }),
    );
  });

  it('meters a stream aborted before its first chunk with the estimated input, marked estimated', async () => {
    const controller = new AbortController();
    const adapter = hangingStream([], () => setImmediate(() => controller.abort()));
    const { gateway, meter } = createTestGateway({ providers: { openai: adapter } });
    const stream = gateway.stream({ tenant: 'acme', messages: testMessages, signal: controller.signal });
    const reading = (async () => {
      for await (const _ of stream) void _;
    })();
    await expect(reading).rejects.toMatchObject({ code: 'aborted' });
    expect(meter.records).toHaveLength(1);
    expect(meter.records[0]).toMatchObject({ status: 'aborted', outputTokens: 0, estimated: true });
    expect(meter.records[0]!.inputTokens).toBeGreaterThan(0);
  });

  it("meters an aborted stream with the provider's reported input tokens", async () => {
    const usage = { inputTokens: 777, outputTokens: 1, cachedInputTokens: 0 };
    const adapter = hangingStream([
      { type: 'usage', usage },
      { type: 'text-delta', text: 'Hello there' },
    ]);
    const { gateway, meter } = createTestGateway({ providers: { openai: adapter } });
    const controller = new AbortController();
    const seen: ChatChunk[] = [];
    await expect(
      (async () => {
        for await (const chunk of gateway.stream({
          tenant: 'acme',
          messages: testMessages,
          signal: controller.signal,
        })) {
          seen.push(chunk);
          controller.abort();
        }
      })(),
    ).rejects.toMatchObject({ code: 'aborted' });
    expect(seen.map((chunk) => chunk.type)).toEqual(['text-delta']);
    expect(meter.records[0]).toMatchObject({ inputTokens: 777, outputTokens: 3, estimated: true });
  });

  it('tells the router which providers it can use and drops fallbacks without an adapter', async () => {
    const router = createStaticRouter({
      provider: 'openai',
      model: 'gpt-4.1-nano',
      level: 'simple',
      fallbacks: [{ provider: 'qwen', model: 'qwen-plus' }],
      ladder: [],
    });
    const decide = vi.spyOn(router, 'decide');
    const { gateway } = createTestGateway({ router });
    const result = await gateway.chat({ tenant: 'acme', messages: testMessages });
    expect(decide.mock.calls[0]![2].providers).toEqual(['openai', 'anthropic']);
    expect(result.decision.fallbacks).toEqual([]);
  });

  it('routes the same whether the router decides at once, in a promise or in another thenable', async () => {
    const decided = {
      provider: 'openai',
      model: 'gpt-4.1-nano',
      level: 'simple' as const,
      score: 0.1,
      reasons: [],
      fallbacks: [{ provider: 'qwen', model: 'qwen-plus' }],
      ladder: [],
      estimatedCostMicros: 0,
    };
    const answers = [
      () => decided,
      () => Promise.resolve(decided),
      // biome-ignore lint/suspicious/noThenProperty: a thenable that is not a Promise, on purpose
      () => ({ then: (resolve: (value: typeof decided) => void) => resolve(decided) }),
    ];
    for (const answer of answers) {
      const router: RouterV1 = {
        specificationVersion: 'v1',
        decide: answer as RouterV1['decide'],
        judge: () => ({ escalate: false, confidence: 1, reasons: [] }),
      };
      const { gateway } = createTestGateway({ router });
      const result = await gateway.chat({ tenant: 'acme', messages: testMessages });
      expect(result.decision).toMatchObject({ model: 'gpt-4.1-nano', fallbacks: [] });
      expect(result.model).toBe('gpt-4.1-nano');
    }
    const failing: RouterV1 = {
      specificationVersion: 'v1',
      decide: () => {
        throw new Error('router down');
      },
      judge: () => ({ escalate: false, confidence: 1, reasons: [] }),
    };
    await expect(
      createTestGateway({ router: failing }).gateway.chat({ tenant: 'acme', messages: testMessages }),
    ).rejects.toThrow();
  });
});

describe('the judge context and router feedback', () => {
  function judgingRouter(feedback: (feedback: RouteFeedback) => void): RouterV1 {
    return {
      specificationVersion: 'v1',
      decide: () => ({
        provider: 'openai',
        model: 'gpt-4.1-nano',
        level: 'complex',
        score: 0.7,
        reasons: [],
        fallbacks: [],
        estimatedCostMicros: 0,
        ladder: [{ provider: 'anthropic', model: 'claude-sonnet-4-6', fallbacks: [] }],
      }),
      async judge(result, _decision, request, judgeContext) {
        const second = await judgeContext!.complete(
          { provider: 'openai', model: 'gpt-4.1' },
          {
            messages: [...request.messages, { role: 'user', content: `Grade: ${result.text}` }],
          },
        );
        return { escalate: second.text.includes('nano'), confidence: 0.5, reasons: ['graded'] };
      },
      feedback,
    };
  }

  it('runs a judge call as its own metered attempt and feeds the verdict and the cascade back', async () => {
    const feedback = vi.fn();
    const { gateway, meter } = createTestGateway(
      { router: judgingRouter(feedback) },
      {
        openai: (request) => ({ text: `graded ${request.model === 'gpt-4.1' ? 'nano answer' : 'answer'}` }),
      },
    );
    const result = await gateway.chat({ tenant: 'acme', messages: testMessages });
    expect(result.attempts.map((a) => [a.model, a.purpose ?? 'answer'])).toEqual([
      ['gpt-4.1-nano', 'answer'],
      ['gpt-4.1', 'judge'],
      ['claude-sonnet-4-6', 'answer'],
    ]);
    expect(meter.records.map((r) => r.purpose)).toEqual([undefined, 'judge', undefined]);
    expect(feedback.mock.calls.map(([f]) => f.outcome)).toEqual([
      { type: 'judged', score: 0 },
      { type: 'cascade', from: 'gpt-4.1-nano', to: 'claude-sonnet-4-6' },
    ]);
    expect(feedback.mock.calls[0]![0]).toMatchObject({
      model: { provider: 'openai', model: 'gpt-4.1-nano' },
      reasons: ['graded'],
    });
  });

  it('never lets a throwing feedback break the request', async () => {
    const { gateway } = createTestGateway({
      router: judgingRouter(() => {
        throw new Error('learning broke');
      }),
    });
    const reported = vi.fn();
    gateway.events.on('gateway.error', reported);
    await expect(gateway.chat({ tenant: 'acme', messages: testMessages })).resolves.toMatchObject({
      text: expect.any(String),
    });
    expect(reported).toHaveBeenCalledWith(expect.objectContaining({ stage: 'feedback' }));
  });
});

describe('wiring checks', () => {
  it('refuses keys for a provider without an adapter when no provider has both, naming the keys', () => {
    const keys = {
      specificationVersion: 'v1' as const,
      acquire: () => Promise.reject(new Error('unused')),
      stats: () => ({
        queueDepth: 0,
        keys: [
          {
            keyId: 'ant-1',
            provider: 'anthropic',
            state: 'active' as const,
            role: 'active' as const,
            inFlight: 0,
            utilisation: 0,
            requests: 0,
            rateLimited: 0,
            errors: 0,
          },
        ],
      }),
    };
    const { openai } = createTestGateway();
    const attempt = () => createTestGateway({ keys, providers: { openai } });
    expect(attempt).toThrow(ConfigurationError);
    expect(attempt).toThrow(/ant-1/);
  });
});

describe('stream input', () => {
  it('refuses a malformed request id on iteration instead of replacing it, like chat', async () => {
    const { gateway } = createTestGateway();
    const stream = gateway.stream({
      tenant: 'acme',
      messages: testMessages,
      requestId: Symbol('x') as never,
    });
    await expect(
      (async () => {
        for await (const _ of stream) void _;
      })(),
    ).rejects.toMatchObject({ code: 'validation_error' });
    await expect(stream.final()).rejects.toMatchObject({ code: 'validation_error' });
  });
});

describe('key headroom for routing', () => {
  it("asks the key pool for the headroom the tenant's regions, tier and id can use", async () => {
    const asked: unknown[][] = [];
    const seen: number[] = [];
    const { keys } = createTestGateway();
    const router: RouterV1 = {
      specificationVersion: 'v1',
      decide(_request, _policy, route) {
        seen.push(route?.headroom?.('openai') ?? -1);
        return {
          provider: 'openai',
          model: 'gpt-4.1-nano',
          level: 'simple',
          score: 0.1,
          reasons: [],
          fallbacks: [],
          ladder: [],
          estimatedCostMicros: 0,
        };
      },
      judge: () => ({ escalate: false, confidence: 1, reasons: [] }),
    };
    const { gateway } = createTestGateway({
      router,
      tenants: createTenantDirectory({
        tenants: [{ id: 'eu-shop', tier: 'standard', industry: 'retail', regions: ['eu'] }],
      }),
      keys: {
        ...keys,
        headroom: (...args: unknown[]) => {
          asked.push(args);
          return 0.25;
        },
      },
    });
    await gateway.chat({ tenant: 'eu-shop', messages: testMessages });
    expect(asked).toEqual([['openai', ['eu'], 'standard', 'eu-shop']]);
    expect(seen).toEqual([0.25]);
  });
});
