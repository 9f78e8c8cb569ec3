// Valid sample values the method contract test passes to the objects of api-objects.ts before
// the position it replaces by a hostile value.
import { resolveTenantPolicy, toSecret } from '@forge1/core';
import { denseSize } from '@forge1/router';

export const messages = [{ role: 'user', content: 'What is 2 + 2?' }];
export const policy = resolveTenantPolicy({ id: 'acme', tier: 'standard' });
export const usage = { inputTokens: 10, outputTokens: 5, cachedInputTokens: 0 };
export const demand = {
  provider: 'openai',
  model: 'gpt-5-nano',
  estTokens: 100,
  tenantId: 'acme',
  tier: 'standard',
};
export const request = { messages };
/** Valid arguments of an adapter's methods: a request as the gateway maps it, and a call with a key. */
export const adapterArguments = (model: string) => {
  const call = { apiKey: toSecret('sk-contract-0001'), keyId: 'k1', timeoutMs: 1000 };
  const chat = [{ model, messages, maxTokens: 16 }, call];
  return { chat, stream: chat, embed: [{ model, input: ['four'] }, call] };
};
export const route = { context: { requestId: 'r1' }, remainingBudgetMicros: null, estimatedInputTokens: 10 };
export const decision = {
  provider: 'openai',
  model: 'gpt-5-nano',
  level: 'simple',
  reasons: [],
  fallbacks: [],
  ladder: [],
};
export const answer = {
  text: '2 + 2 = 4',
  toolCalls: [],
  finishReason: 'stop',
  usage,
  provider: 'openai',
  model: 'gpt-5-nano',
  latencyMs: 1,
};
export const observed = {
  requestId: 'r1',
  tenantId: 'acme',
  level: 'simple',
  decision,
  model: 'gpt-5-nano',
  cascaded: false,
  fellBack: false,
  costMicros: 3,
  attempts: [{ provider: 'openai', model: 'gpt-5-nano', ok: true, usage }],
};

export const verifierInput = { result: answer, request, decision, question: 'What is 2 + 2?' };
export const features = { dense: new Float64Array(denseSize), slots: [1, 2, 3] };
export const increments = new Map([
  ['n', 1],
  ['b', 0.1],
]);
