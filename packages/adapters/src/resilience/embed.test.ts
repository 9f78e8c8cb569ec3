import {
  type EmbedResult,
  type ProviderAdapterV1,
  type ProviderCall,
  ProviderUnavailableError,
  Secret,
} from '@forge1/core';
import { createScriptedAdapter } from '@forge1/core/testing';
import { describe, expect, it } from 'vitest';
import { withResilience } from './with-resilience.js';

const call: ProviderCall = { apiKey: new Secret('sk-test-key-0000000000'), keyId: 'k1' };
const request = { model: 'text-embedding-3-small', input: ['hello'] };

describe('withResilience and embeddings', () => {
  it('passes embed through with the same retries as chat', async () => {
    let calls = 0;
    const base = createScriptedAdapter('p', () => ({ text: 'unused' }));
    const adapter: ProviderAdapterV1 = {
      ...base,
      async embed(): Promise<EmbedResult> {
        calls++;
        if (calls === 1) throw new ProviderUnavailableError('down', { provider: 'p', status: 503 });
        return {
          embeddings: [[0.1, 0.2]],
          usage: { inputTokens: 1, outputTokens: 0, cachedInputTokens: 0 },
          provider: 'p',
          model: request.model,
          latencyMs: 1,
        };
      },
    };
    const resilient = withResilience(adapter, {
      retry: { retries: 2, minDelayMs: 1, maxDelayMs: 1 },
      breaker: false,
    });
    const result = await resilient.embed!(request, call);
    expect(result.embeddings).toEqual([[0.1, 0.2]]);
    expect(calls).toBe(2);
  });

  it('offers no embed when the adapter has none', () => {
    expect(withResilience(createScriptedAdapter('p', () => ({ text: 'x' }))).embed).toBeUndefined();
  });
});
