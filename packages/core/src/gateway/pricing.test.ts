import { describe, expect, it } from 'vitest';
import { costOf, createCatalog } from '../index.js';
import { createTenantDirectory } from '../tenant-directory.js';
import { createRecordingGuard, createStaticRouter } from '../testing/doubles.js';
import { createTestGateway } from './test-gateway.js';

const png = Buffer.from('89504e470d0a1a0a0000000d494844520000040000000400080600', 'hex').toString('base64');

describe('gateway pricing and content parts', () => {
  it('records every token kind and the content parts per kind, at the exact provider price', async () => {
    const usage = {
      inputTokens: 10_000,
      outputTokens: 1_000,
      cachedInputTokens: 2_000,
      cacheWriteInputTokens: 3_000,
      cacheWrite1hInputTokens: 1_000,
      reasoningTokens: 400,
    };
    const { gateway, meter } = createTestGateway(
      {
        router: createStaticRouter({
          provider: 'anthropic',
          model: 'claude-sonnet-4-6',
          level: 'moderate',
          fallbacks: [],
          ladder: [],
        }),
      },
      { anthropic: () => ({ text: 'A cat.', usage }) },
    );
    const answer = await gateway.chat({
      tenant: 'acme',
      messages: [
        { role: 'system', content: 'Describe images.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in this picture and this file?' },
            { type: 'image', data: png, mediaType: 'image/png' },
            { type: 'image', url: 'https://example.com/cat.jpg' },
            { type: 'file', data: 'JVBERi0xLjQK', mediaType: 'application/pdf', filename: 'a.pdf' },
          ],
        },
      ],
      cache: { ttl: '1h' },
      reasoning: { budgetTokens: 2_000 },
    });
    // By hand, Claude Sonnet 4.6: 5 000 × $3 + 2 000 × $0.30 + 2 000 × $3.75 + 1 000 × $6 + 1 000 × $15 = 44 100 µ$.
    expect(answer.costMicros).toBe(44_100);
    const [record] = meter.records;
    expect(record).toMatchObject({
      ...usage,
      costMicros: 44_100,
      textParts: 2,
      imageParts: 2,
      fileParts: 1,
    });
    expect(JSON.stringify(record)).not.toContain(png);
  });

  it('refuses a malformed content part with a ValidationError naming it', async () => {
    const { gateway } = createTestGateway();
    await expect(
      gateway.chat({
        tenant: 'acme',
        messages: [{ role: 'user', content: [{ type: 'image', data: png, mediaType: 'image/bmp' }] }],
      }),
    ).rejects.toMatchObject({
      code: 'validation_error',
      issues: [expect.objectContaining({ path: 'messages.0.content.0.mediaType' })],
    });
  });

  it('holds the long-context price for a request that will fall into that tier', async () => {
    const guard = createRecordingGuard();
    const tenants = createTenantDirectory({
      tenants: [{ id: 'acme', tier: 'enterprise', allowedModels: ['gemini-2.5-pro'] }],
    });
    const { gateway } = createTestGateway({
      guard,
      tenants,
      providers: { google: createTestGateway().openai },
      router: createStaticRouter({
        provider: 'google',
        model: 'gemini-2.5-pro',
        level: 'complex',
        fallbacks: [],
        ladder: [],
      }),
    });
    const long = 'x'.repeat(1_000_000);
    await gateway.chat({ tenant: 'acme', messages: [{ role: 'user', content: long }], maxTokens: 100 });
    const input = Math.ceil((long.length + 16) / 4);
    const prices = createCatalog().require('gemini-2.5-pro').prices;
    const usage = { inputTokens: input, outputTokens: 100, cachedInputTokens: 0 };
    // 250 004 input tokens: every token at $2.50 / $15, not the $1.25 / $10 below 200 000.
    const checks = guard.checks.map((check) => check.minimumCostMicros);
    expect(checks).toEqual([costOf(prices, usage)]);
    expect(checks[0]).toBe(Math.round(input * 2.5 + 100 * 15));
  });
});
