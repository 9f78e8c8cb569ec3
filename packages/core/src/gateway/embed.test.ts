import { describe, expect, it } from 'vitest';
import type { EmbedResult, ProviderEmbedRequest } from '../embeddings.js';
import type { Forge1Error } from '../errors.js';
import type { ProviderAdapterV1, ProviderCall } from '../ports/provider-adapter.js';
import { ProviderUnavailableError } from '../provider-errors.js';
import { createTenantDirectory } from '../tenant-directory.js';
import {
  createRecordingGuard,
  createRecordingMeter,
  createScriptedAdapter,
  createStaticKeyPool,
  createStaticRouter,
} from '../testing/doubles.js';
import { createGateway } from './create-gateway.js';

/** A scripted adapter that also embeds: one vector of `[index, length]` per text. */
function embeddingAdapter(provider: string, fail?: () => Forge1Error) {
  const calls: Array<{ request: ProviderEmbedRequest; keyId?: string }> = [];
  const adapter: ProviderAdapterV1 = {
    ...createScriptedAdapter(provider, () => ({ text: 'chat answer' })),
    async embed(request: ProviderEmbedRequest, call: ProviderCall): Promise<EmbedResult> {
      calls.push({ request, ...(call.keyId ? { keyId: call.keyId } : {}) });
      const error = fail?.();
      if (error) throw error;
      const tokens = request.input.reduce((sum, text) => sum + Math.ceil(text.length / 4), 0);
      return {
        embeddings: request.input.map((text, index) => [index, text.length]),
        usage: { inputTokens: tokens, outputTokens: 0, cachedInputTokens: 0 },
        provider,
        model: request.model,
        latencyMs: 2,
      };
    },
  };
  return { adapter, calls };
}

function setup(options: { openaiFails?: () => Forge1Error; allowedModels?: string[] } = {}) {
  const openai = embeddingAdapter('openai', options.openaiFails);
  const google = embeddingAdapter('google');
  const meter = createRecordingMeter();
  const guard = createRecordingGuard();
  const { settlements, checks } = guard;
  const gateway = createGateway({
    tenants: createTenantDirectory({
      tenants: [
        {
          id: 'acme',
          tier: 'professional',
          ...(options.allowedModels ? { allowedModels: options.allowedModels } : {}),
        },
      ],
    }),
    router: createStaticRouter({ provider: 'openai', model: 'gpt-4.1-nano' }),
    keys: createStaticKeyPool(2),
    providers: { openai: openai.adapter, google: google.adapter },
    meter,
    guard,
  });
  return { gateway, openai, google, meter, settlements, checks };
}

const texts = ['a'.repeat(400), 'b'.repeat(4_000)];

describe('gateway.embed', () => {
  it('embeds with the cheapest embedding model, meters it and prices it exactly', async () => {
    const { gateway, openai, meter, settlements, checks } = setup();
    const result = await gateway.embed({
      tenant: 'acme',
      user: 'u-1',
      input: texts,
      requestId: 'req-embed-1',
    });
    expect(result.embeddings).toEqual([
      [0, 400],
      [1, 4000],
    ]);
    expect(result).toMatchObject({
      provider: 'openai',
      model: 'text-embedding-3-small',
      requestId: 'req-embed-1',
    });
    // 1 100 tokens at $0.02 per million = 22 µ$.
    expect(result.usage.inputTokens).toBe(1_100);
    expect(result.costMicros).toBe(22);
    expect(checks.map((check) => check.minimumCostMicros)).toEqual([22]);
    expect(openai.calls[0]?.keyId).toBe('key-openai-1');
    expect(meter.records).toHaveLength(1);
    expect(meter.records[0]).toMatchObject({
      tenantId: 'acme',
      userId: 'u-1',
      requestId: 'req-embed-1',
      model: 'text-embedding-3-small',
      inputTokens: 1_100,
      outputTokens: 0,
      costMicros: 22,
      status: 'ok',
    });
    expect(settlements).toEqual([{ costMicros: 22, tokens: 1_100, served: true }]);
  });

  it('uses the embedding model asked for, and passes dimensions through', async () => {
    const { gateway, google } = setup();
    const result = await gateway.embed({
      tenant: 'acme',
      input: ['hello'],
      model: 'gemini-embedding-001',
      dimensions: 768,
    });
    expect(result.model).toBe('gemini-embedding-001');
    expect(google.calls[0]?.request).toMatchObject({ model: 'gemini-embedding-001', dimensions: 768 });
  });

  it('refuses a chat model, and a model the tenant may not use, naming the field', async () => {
    const { gateway } = setup({ allowedModels: ['text-embedding-3-small'] });
    await expect(gateway.embed({ tenant: 'acme', input: ['x'], model: 'gpt-4.1' })).rejects.toMatchObject({
      code: 'validation_error',
      issues: [
        expect.objectContaining({ path: 'model', message: expect.stringMatching(/not an embedding model/) }),
      ],
    });
    await expect(
      gateway.embed({ tenant: 'acme', input: ['x'], model: 'gemini-embedding-001' }),
    ).rejects.toMatchObject({
      code: 'validation_error',
    });
  });

  it('refuses empty input with a ValidationError', async () => {
    const { gateway } = setup();
    await expect(gateway.embed({ tenant: 'acme', input: [] })).rejects.toMatchObject({
      code: 'validation_error',
    });
  });

  it('falls back to another provider’s embedding model when one is down, and settles once', async () => {
    const { gateway, google, meter, settlements } = setup({
      openaiFails: () => new ProviderUnavailableError('down', { provider: 'openai' }),
    });
    const result = await gateway.embed({ tenant: 'acme', input: texts });
    expect(result.provider).toBe('google');
    expect(google.calls).toHaveLength(1);
    expect(result.attempts.map((a) => [a.provider, a.ok])).toEqual([
      ['openai', false],
      ['google', true],
    ]);
    // 1 100 tokens at $0.15 per million = 165 µ$; the failed attempt consumed nothing.
    expect(result.costMicros).toBe(165);
    expect(meter.records.map((r) => r.model)).toEqual(['gemini-embedding-001']);
    expect(settlements).toEqual([{ costMicros: 165, tokens: 1_100, served: true }]);
  });

  it('settles the hold with nothing served when every provider fails', async () => {
    const { gateway, settlements } = setup({
      openaiFails: () => new ProviderUnavailableError('down', { provider: 'openai' }),
      allowedModels: ['text-embedding-3-small'],
    });
    await expect(gateway.embed({ tenant: 'acme', input: ['x'] })).rejects.toMatchObject({
      code: 'provider_unavailable',
    });
    expect(settlements).toEqual([{ costMicros: 0, tokens: 0, served: false }]);
  });
});
