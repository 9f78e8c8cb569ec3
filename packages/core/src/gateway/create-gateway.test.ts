import { describe, expect, it, vi } from 'vitest';
import {
  BudgetExceededError,
  ClosedError,
  createGateway,
  createTenantDirectory,
  Forge1Error,
  type GatewayOptions,
  type GuardV1,
  ProviderUnavailableError,
  RateLimitedError,
  runWithContext,
} from '../index.js';
import {
  createRecordingMeter,
  createScriptedAdapter,
  createStaticKeyPool,
  createStaticRouter,
  type ScriptedReply,
} from '../testing/index.js';

const tenants = () =>
  createTenantDirectory({
    tenants: [
      { id: 'acme', tier: 'enterprise', industry: 'finance' },
      { id: 'beta', tier: 'standard' },
    ],
  });

const hedgingJudge = (result: { text: string }) =>
  /not sure/.test(result.text)
    ? { escalate: true, confidence: 0.3, reasons: ['hedging'] }
    : { escalate: false, confidence: 0.9, reasons: [] };

const messages = [{ role: 'user' as const, content: 'Compare two pension plans for me' }];

function setup(
  overrides: Partial<GatewayOptions> = {},
  replies: Record<string, (model: string) => ScriptedReply> = {},
) {
  const openai = createScriptedAdapter('openai', (request) =>
    replies.openai ? replies.openai(request.model) : { text: `answer from ${request.model}` },
  );
  const anthropic = createScriptedAdapter('anthropic', (request) =>
    replies.anthropic ? replies.anthropic(request.model) : { text: `answer from ${request.model}` },
  );
  const meter = createRecordingMeter();
  const keys = createStaticKeyPool(2);
  const router = createStaticRouter(
    {
      provider: 'openai',
      model: 'gpt-4.1-nano',
      level: 'moderate',
      fallbacks: [{ provider: 'anthropic', model: 'claude-haiku-4-5' }],
      ladder: [
        {
          provider: 'openai',
          model: 'gpt-4.1',
          fallbacks: [{ provider: 'anthropic', model: 'claude-sonnet-4-6' }],
        },
      ],
    },
    hedgingJudge,
  );
  const gateway = createGateway({
    tenants: tenants(),
    router,
    keys,
    providers: { openai, anthropic },
    meter,
    ...overrides,
  });
  return { gateway, openai, anthropic, meter, keys };
}

describe('gateway.chat', () => {
  it('answers and meters one attributed usage record', async () => {
    const { gateway, meter } = setup();
    const result = await gateway.chat({ tenant: 'acme', employee: 'e-7', user: 'u-1', messages });
    expect(result).toMatchObject({
      text: 'answer from gpt-4.1-nano',
      tenantId: 'acme',
      cascaded: false,
      fellBack: false,
    });
    expect(meter.records).toHaveLength(1);
    expect(meter.records[0]).toMatchObject({
      tenantId: 'acme',
      employeeId: 'e-7',
      userId: 'u-1',
      requestId: result.requestId,
      attempt: 1,
      provider: 'openai',
      model: 'gpt-4.1-nano',
      status: 'ok',
      level: 'moderate',
      keyId: 'key-openai-1',
    });
    expect(meter.records[0]!.costMicros).toBe(result.costMicros);
    expect(JSON.stringify(meter.records)).not.toContain('sk-test');
  });

  it('cascades a hedged answer to the next rung and meters both attempts', async () => {
    const cascades = vi.fn();
    const { gateway, meter } = setup(
      {},
      {
        openai: (model) =>
          model === 'gpt-4.1-nano' ? { text: "I'm not sure, maybe?" } : { text: 'A thorough comparison.' },
      },
    );
    gateway.events.on('cascade', cascades);
    const result = await gateway.chat({ tenant: 'acme', messages });
    expect(result).toMatchObject({ text: 'A thorough comparison.', model: 'gpt-4.1', cascaded: true });
    expect(meter.records.map((r) => [r.model, r.attempt, r.cascaded])).toEqual([
      ['gpt-4.1-nano', 1, false],
      ['gpt-4.1', 2, true],
    ]);
    expect(result.costMicros).toBe(meter.records[0]!.costMicros + meter.records[1]!.costMicros);
    expect(cascades).toHaveBeenCalledWith(
      expect.objectContaining({
        from: { provider: 'openai', model: 'gpt-4.1-nano' },
        to: { provider: 'openai', model: 'gpt-4.1' },
      }),
    );
  });

  it('falls back across providers when the first is unavailable', async () => {
    const fallbacks = vi.fn();
    const { gateway, meter } = setup(
      {},
      {
        openai: () => ({ error: new ProviderUnavailableError('503', { provider: 'openai', status: 503 }) }),
      },
    );
    gateway.events.on('fallback', fallbacks);
    const result = await gateway.chat({ tenant: 'beta', messages });
    expect(result).toMatchObject({ provider: 'anthropic', model: 'claude-haiku-4-5', fellBack: true });
    expect(result.attempts.map((a) => [a.provider, a.ok])).toEqual([
      ['openai', false],
      ['anthropic', true],
    ]);
    expect(meter.records).toHaveLength(1);
    expect(meter.records[0]).toMatchObject({ provider: 'anthropic', fallback: true, attempt: 2 });
    expect(fallbacks).toHaveBeenCalledWith(expect.objectContaining({ errorCode: 'provider_unavailable' }));
  });

  it('runs a cascade and then a cross-provider fallback on the stronger rung', async () => {
    const { gateway } = setup(
      {},
      {
        openai: (model) =>
          model === 'gpt-4.1'
            ? { error: new ProviderUnavailableError('down', { provider: 'openai' }) }
            : { text: 'not sure' },
      },
    );
    const result = await gateway.chat({ tenant: 'acme', messages });
    expect(result).toMatchObject({
      provider: 'anthropic',
      model: 'claude-sonnet-4-6',
      cascaded: true,
      fellBack: true,
    });
  });

  it('keeps the weak answer when every stronger rung fails', async () => {
    const { gateway } = setup(
      {},
      {
        openai: (model) =>
          model === 'gpt-4.1'
            ? { error: new ProviderUnavailableError('down', { provider: 'openai' }) }
            : { text: 'not sure' },
        anthropic: () => ({ error: new ProviderUnavailableError('down too', { provider: 'anthropic' }) }),
      },
    );
    const result = await gateway.chat({ tenant: 'acme', messages });
    expect(result).toMatchObject({ text: 'not sure', model: 'gpt-4.1-nano', cascaded: false });
  });

  it('moves to another key when a key is rate-limited, and tells the pool', async () => {
    let calls = 0;
    const { gateway, keys } = setup(
      {},
      {
        openai: () =>
          ++calls === 1
            ? {
                error: new RateLimitedError('429', {
                  provider: 'openai',
                  retryAfterMs: 2000,
                  kind: 'requests',
                }),
              }
            : { text: 'ok' },
      },
    );
    const result = await gateway.chat({ tenant: 'acme', messages });
    expect(result.attempts.map((a) => a.keyId)).toEqual(['key-openai-1', 'key-openai-2']);
    expect(keys.releases[0]!.outcome?.error).toMatchObject({ code: 'provider_rate_limited' });
    expect(keys.releases[1]!.outcome?.usage).toEqual(result.usage);
  });

  it('does not let a throwing listener break a request', async () => {
    const { gateway } = setup();
    gateway.events.on('route', () => {
      throw new Error('listener bug');
    });
    gateway.events.on('usage', () => {
      throw new Error('another');
    });
    await expect(gateway.chat({ tenant: 'acme', messages })).resolves.toMatchObject({
      text: expect.any(String),
    });
  });

  it('rejects bad input, a missing tenant and an unknown tenant with typed errors', async () => {
    const { gateway, openai } = setup();
    await expect(gateway.chat({ tenant: 'acme', messages: [] })).rejects.toMatchObject({
      code: 'validation_error',
    });
    await expect(gateway.chat({ messages })).rejects.toMatchObject({ code: 'validation_error' });
    await expect(gateway.chat({ tenant: 'ghost', messages })).rejects.toMatchObject({
      code: 'unknown_tenant',
    });
    await expect(gateway.chat(null as never)).rejects.toMatchObject({ code: 'validation_error' });
    expect(openai.calls).toHaveLength(0);
  });

  it('takes the tenant and people from the request context, explicit fields winning', async () => {
    const { gateway, meter } = setup();
    await runWithContext({ tenantId: 'beta', userId: 'ctx-user', employeeId: 'ctx-employee' }, () =>
      gateway.chat({ user: 'explicit-user', messages }),
    );
    expect(meter.records[0]).toMatchObject({
      tenantId: 'beta',
      userId: 'explicit-user',
      employeeId: 'ctx-employee',
    });
  });

  it('refuses before any provider call when the guard says the budget is spent, and settles served requests', async () => {
    const settle = vi.fn();
    const refusing: GuardV1 = {
      specificationVersion: 'v1',
      check: async ({ policy }) => {
        if (policy.id === 'beta') throw new BudgetExceededError('spent', { tenantId: 'beta', resetsAt: 1 });
        return { tenantId: policy.id, at: 0, remainingBudgetMicros: 1_000 };
      },
      settle,
    };
    const { gateway, openai } = setup({ guard: refusing });
    await expect(gateway.chat({ tenant: 'beta', messages })).rejects.toMatchObject({
      code: 'budget_exceeded',
    });
    expect(openai.calls).toHaveLength(0);
    const result = await gateway.chat({ tenant: 'acme', messages });
    expect(settle).toHaveBeenCalledWith(expect.objectContaining({ tenantId: 'acme' }), {
      costMicros: result.costMicros,
      tokens: result.totalUsage.inputTokens + result.totalUsage.outputTokens,
      served: true,
    });
  });

  it('routes again within what is left when concurrent requests took the budget since the check', async () => {
    const budgets: Array<number | null> = [];
    const router = createStaticRouter({
      provider: 'openai',
      model: 'gpt-4.1',
      level: 'complex',
      fallbacks: [],
      ladder: [],
    });
    const decide = router.decide.bind(router);
    router.decide = (request, policy, route) => {
      budgets.push(route.remainingBudgetMicros);
      return decide(request, policy, route);
    };
    let holds = 0;
    const guard: GuardV1 = {
      specificationVersion: 'v1',
      check: async ({ policy }) => ({ tenantId: policy.id, at: 0, remainingBudgetMicros: 5_000 }),
      reserve: async (grant) => {
        if (holds++ === 0)
          throw new BudgetExceededError('taken', { tenantId: 'acme', limit: 5_000, used: 4_200 });
        return grant;
      },
      settle: async () => {},
    };
    const { gateway } = setup({ guard, router });
    await gateway.chat({ tenant: 'acme', messages });
    expect(budgets).toEqual([5_000, 800]);
    expect(holds).toBe(2);
  });

  it('refuses calls after close', async () => {
    const { gateway } = setup();
    await gateway.close();
    await gateway.close();
    await expect(gateway.chat({ tenant: 'acme', messages })).rejects.toMatchObject({ code: 'closed' });
    await expect(gateway.chat({ tenant: 'acme', messages })).rejects.toBeInstanceOf(ClosedError);
  });
});

describe('gateway.stream', () => {
  const longAnswer = {
    text: 'one two three four five six seven eight nine ten eleven twelve',
    outputTokens: 40,
  };

  it('streams chunks, ends with usage, and meters the attempt', async () => {
    const { gateway, meter } = setup({}, { openai: () => longAnswer });
    const stream = gateway.stream({ tenant: 'acme', messages });
    let text = '';
    for await (const chunk of stream) if (chunk.type === 'text-delta') text += chunk.text;
    expect(text).toBe(longAnswer.text);
    const result = await stream.final();
    expect(result).toMatchObject({
      text: longAnswer.text,
      requestId: stream.requestId,
      usage: { outputTokens: 40 },
    });
    expect(meter.records).toHaveLength(1);
    expect(meter.records[0]).toMatchObject({ status: 'ok', outputTokens: 40 });
  });

  it('records the partial usage when aborted mid-stream', async () => {
    const { gateway, meter, keys } = setup({}, { openai: () => longAnswer });
    const controller = new AbortController();
    const stream = gateway.stream({ tenant: 'acme', messages, signal: controller.signal });
    const received: string[] = [];
    const consume = async () => {
      for await (const chunk of stream) {
        if (chunk.type === 'text-delta') received.push(chunk.text);
        if (received.length === 3) controller.abort();
      }
    };
    await expect(consume()).rejects.toMatchObject({ code: 'aborted' });
    await expect(stream.final()).rejects.toMatchObject({ code: 'aborted' });
    expect(meter.records).toHaveLength(1);
    const record = meter.records[0]!;
    expect(record).toMatchObject({ status: 'aborted', errorCode: 'aborted' });
    expect(record.outputTokens).toBe(Math.ceil(received.join('').length / 4));
    expect(record.inputTokens).toBeGreaterThan(0);
    expect(keys.releases).toHaveLength(1);
  });

  it('records the partial usage when the consumer stops reading', async () => {
    const { gateway, meter, keys } = setup({}, { openai: () => longAnswer });
    for await (const chunk of gateway.stream({ tenant: 'acme', messages })) {
      if (chunk.type === 'text-delta') break;
    }
    expect(meter.records).toHaveLength(1);
    expect(meter.records[0]).toMatchObject({ status: 'aborted', outputTokens: 1 });
    expect(keys.releases).toHaveLength(1);
  });

  it('falls back to another provider when the first fails before any chunk', async () => {
    const { gateway } = setup(
      {},
      {
        openai: () => ({ error: new ProviderUnavailableError('down', { provider: 'openai' }) }),
      },
    );
    const stream = gateway.stream({ tenant: 'acme', messages });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.at(-1)).toMatchObject({ type: 'finish', provider: 'anthropic' });
    expect((await stream.final()).fellBack).toBe(true);
  });

  it('surfaces bad input as a typed error on iteration', async () => {
    const { gateway } = setup();
    const stream = gateway.stream({ tenant: 'acme', messages: 'hello' as never });
    const error = await (async () => {
      for await (const _ of stream) void _;
    })().catch((e: unknown) => e);
    expect(Forge1Error.is(error, 'validation_error')).toBe(true);
  });
});
