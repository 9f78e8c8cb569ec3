import { describe, expect, it } from 'vitest';
import { analyzeRequest, createRouter } from '../index.js';

const pixel = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
const withImage = {
  messages: [
    {
      role: 'user' as const,
      content: [
        { type: 'text' as const, text: 'What is this?' },
        { type: 'image' as const, data: pixel, mediaType: 'image/png' },
      ],
    },
  ],
};

describe('requests with images and documents', () => {
  it('are at least moderate, with the parts named in the reasons', () => {
    expect(analyzeRequest({ messages: [{ role: 'user', content: 'What is this?' }] }).level).toBe('simple');
    const analysis = analyzeRequest(withImage);
    expect(analysis.level).toBe('moderate');
    expect(analysis.reasons.join('\n')).toContain('media: 1 image(s), 0 document(s)');
  });

  it('are routed by decide() instead of refused by its input check', async () => {
    const router = createRouter();
    const { resolveTenantPolicy } = await import('@forge1/core');
    const policy = resolveTenantPolicy({ id: 'acme', tier: 'standard' });
    const decision = await router.decide(withImage, policy, {
      context: { requestId: 'r-media', tenantId: 'acme', startedAt: 0 },
      remainingBudgetMicros: null,
      estimatedInputTokens: 100,
    });
    expect(decision.level).toBe('moderate');
  });
});
