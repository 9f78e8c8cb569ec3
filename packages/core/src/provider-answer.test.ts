import { describe, expectTypeOf, it } from 'vitest';
import type { ChatResult, EmbedResult, ProviderAnswerV1, UsageTotals, UsageV1 } from './index.js';

describe('shared answer and totals types', () => {
  it('give chat and embeddings answers the same provider fields', () => {
    expectTypeOf<ChatResult>().toMatchTypeOf<ProviderAnswerV1>();
    expectTypeOf<EmbedResult>().toMatchTypeOf<ProviderAnswerV1>();
    expectTypeOf<ProviderAnswerV1['rateLimit']>().toEqualTypeOf<ChatResult['rateLimit']>();
  });

  it('give usage totals every token kind of a usage', () => {
    expectTypeOf<UsageTotals>().toMatchTypeOf<UsageV1>();
    expectTypeOf<UsageTotals['requests']>().toEqualTypeOf<number>();
  });
});
