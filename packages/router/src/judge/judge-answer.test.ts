import type { ChatRequest, ChatResult, RouteDecision } from '@forge1/core';
import { createRouter } from '@forge1/router';
import { describe, expect, it } from 'vitest';

const router = createRouter();
const request: ChatRequest = {
  messages: [{ role: 'user', content: 'Explain how TLS certificate pinning works and when to use it.' }],
};
const decision = router.decide(request, {
  id: 't',
  name: 't',
  tier: 'standard',
  industry: 'general',
  preference: 'balanced',
  priority: 10,
  rateMultiplier: 1,
  reservedShare: 0.1,
  dedicatedKeysAllowed: false,
  limits: { dailyRequests: 10, monthlyTokens: null },
  budget: { monthlyMicros: null, alertThresholds: [1], onExceeded: 'refuse' },
  allowedModels: null,
  allowedProviders: null,
  regions: null,
  metadata: {},
});
const answer = (text: string, extra: Partial<ChatResult> = {}): ChatResult => ({
  text,
  toolCalls: [],
  finishReason: 'stop',
  usage: { inputTokens: 10, outputTokens: 10, cachedInputTokens: 0 },
  provider: 'openai',
  model: 'gpt-4o-mini',
  latencyMs: 1,
  ...extra,
});
const solid =
  'Certificate pinning makes a client accept only a known certificate or public key for a host, instead of any certificate signed by a trusted authority. '.repeat(
    3,
  );

describe('judge', () => {
  it('keeps a complete, confident answer', () => {
    const verdict = router.judge(answer(solid), decision, request);
    expect(verdict).toMatchObject({ escalate: false, confidence: 1 });
  });

  it.each([
    ['hedging', `I'm not sure, it depends on your setup. ${solid}`, 'hedging'],
    ['a refusal', "I'm unable to help with security topics.", 'refusal'],
    ['a far too short answer', 'It pins certs.', 'words'],
    ['an answer ending in a question', `${solid} Which platform are you on?`, 'question'],
  ])('escalates %s', (_name, text, reason) => {
    const verdict = router.judge(answer(text), decision, request);
    expect(verdict.escalate).toBe(true);
    expect(verdict.confidence).toBeLessThan(0.6);
    expect(verdict.reasons.join(' ')).toContain(reason);
  });

  it('escalates an answer cut at the length limit', () => {
    expect(router.judge(answer(solid, { finishReason: 'length' }), decision, request).escalate).toBe(true);
  });

  it('escalates invalid JSON when JSON was asked for, and accepts valid fenced JSON', () => {
    const json: ChatRequest = {
      ...request,
      responseFormat: { type: 'json', schema: { type: 'object', required: ['steps'] } },
    };
    const jsonDecision = { ...decision, level: 'simple' } as RouteDecision;
    expect(router.judge(answer('Sure! steps: 1, 2'), jsonDecision, json).reasons.join(' ')).toContain(
      'invalid JSON',
    );
    expect(router.judge(answer('```json\n{"steps": [1, 2]}\n```'), jsonDecision, json).escalate).toBe(false);
    expect(router.judge(answer('{"other": 1}'), jsonDecision, json).reasons.join(' ')).toContain('steps');
  });

  it('escalates when a required tool call is missing', () => {
    const tools: ChatRequest = {
      ...request,
      tools: [{ name: 'lookup', parameters: {} }],
      toolChoice: 'required',
    };
    expect(router.judge(answer(solid), decision, tools).escalate).toBe(true);
  });

  it('uses the configured threshold and hedging phrases', () => {
    const strict = createRouter({ cascade: { threshold: 0.95, hedgingPhrases: ['arguably'] } });
    expect(strict.judge(answer(`Arguably, ${solid}`), decision, request).escalate).toBe(true);
    expect(strict.judge(answer(`Perhaps ${solid}`), decision, request).escalate).toBe(false);
  });
});
