import { describe, expect, it } from 'vitest';
import { deriveContext } from '../context.js';
import { resolveTenantPolicy } from '../tenancy.js';
import { createRecordingGuard, createStaticRouter } from './index.js';

describe('test doubles', () => {
  it('a static router fills a simple decision with no fallbacks or ladder, unless given', () => {
    const policy = resolveTenantPolicy({ id: 'acme', tier: 'standard' });
    const request = { messages: [{ role: 'user' as const, content: 'hi' }] };
    const route = {
      context: deriveContext({ tenantId: 'acme' }),
      remainingBudgetMicros: null,
      estimatedInputTokens: 2,
    };
    const plain = createStaticRouter({ provider: 'openai', model: 'gpt-5-nano' });
    expect(plain.decide(request, policy, route)).toMatchObject({
      provider: 'openai',
      model: 'gpt-5-nano',
      level: 'simple',
      fallbacks: [],
      ladder: [],
    });
    const given = createStaticRouter({ provider: 'google', model: 'gemini-2.5-pro', level: 'complex' });
    expect(given.decide(request, policy, route)).toMatchObject({ level: 'complex' });
  });

  it('a recording guard admits every check and keeps checks and settlements in order', async () => {
    const guard = createRecordingGuard();
    const policy = resolveTenantPolicy({ id: 'acme', tier: 'standard' });
    const context = deriveContext({ tenantId: 'acme' });
    const grant = await guard.check({ policy, context, minimumCostMicros: 12, estimatedTokens: 40 });
    expect(grant).toEqual({ tenantId: 'acme', at: 0, remainingBudgetMicros: null });
    await guard.settle(grant, { costMicros: 10, tokens: 30, served: true });
    expect(guard.checks.map((check) => check.minimumCostMicros)).toEqual([12]);
    expect(guard.settlements).toEqual([{ costMicros: 10, tokens: 30, served: true }]);
  });
});
