import { type ChatRequest, type ChatResult, type RouteDecision, resolveTenantPolicy } from '@forge1/core';
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
  it('keeps a complete, confident answer', async () => {
    const verdict = await router.judge(answer(solid), decision, request);
    expect(verdict).toMatchObject({ escalate: false, confidence: 1 });
  });

  it.each([
    ['hedging', `I'm not sure, it depends on your setup. ${solid}`, 'hedging'],
    ['a refusal', "I'm unable to help with security topics.", 'refusal'],
    ['a far too short answer', 'It pins certs.', 'words'],
    ['an answer ending in a question', `${solid} Which platform are you on?`, 'question'],
  ])('escalates %s', async (_name, text, reason) => {
    const verdict = await router.judge(answer(text), decision, request);
    expect(verdict.escalate).toBe(true);
    expect(verdict.confidence).toBeLessThan(0.6);
    expect(verdict.reasons.join(' ')).toContain(reason);
  });

  it('escalates an answer cut at the length limit', async () => {
    expect((await router.judge(answer(solid, { finishReason: 'length' }), decision, request)).escalate).toBe(
      true,
    );
  });

  it('escalates invalid JSON when JSON was asked for, and accepts valid fenced JSON', async () => {
    const json: ChatRequest = {
      ...request,
      responseFormat: { type: 'json', schema: { type: 'object', required: ['steps'] } },
    };
    const jsonDecision = { ...decision, level: 'simple' } as RouteDecision;
    expect((await router.judge(answer('Sure! steps: 1, 2'), jsonDecision, json)).reasons.join(' ')).toContain(
      'invalid JSON',
    );
    expect((await router.judge(answer('```json\n{"steps": [1, 2]}\n```'), jsonDecision, json)).escalate).toBe(
      false,
    );
    expect((await router.judge(answer('{"other": 1}'), jsonDecision, json)).reasons.join(' ')).toContain(
      'steps',
    );
  });

  it('judges a JSON answer by its schema, not by its word count', async () => {
    const json: ChatRequest = {
      messages: [
        {
          role: 'user',
          content:
            'Extract the customer name, order id and complaint category from this message as JSON: "Hello, this is Dana Kim, order 4821 arrived damaged and I want a refund."',
        },
      ],
      responseFormat: {
        type: 'json',
        schema: {
          type: 'object',
          properties: { name: { type: 'string' }, orderId: { type: 'string' }, category: { type: 'string' } },
          required: ['name', 'orderId', 'category'],
        },
      },
    };
    const moderate = { ...decision, level: 'moderate' } as RouteDecision;
    const valid = await router.judge(
      answer('{"name": "Dana Kim", "orderId": "4821", "category": "damage"}'),
      moderate,
      json,
    );
    expect(valid).toMatchObject({ escalate: false, confidence: 1 });
    const missing = await router.judge(answer('{"name": "Dana Kim", "orderId": "4821"}'), moderate, json);
    expect(missing.escalate).toBe(true);
    expect(missing.reasons.join(' ')).toContain('misses required category');
    expect(missing.reasons.join(' ')).not.toContain('words');
  });

  it('escalates when a required tool call is missing', async () => {
    const tools: ChatRequest = {
      ...request,
      tools: [{ name: 'lookup', parameters: {} }],
      toolChoice: 'required',
    };
    expect((await router.judge(answer(solid), decision, tools)).escalate).toBe(true);
  });

  it('uses the configured threshold and hedging phrases', async () => {
    const strict = createRouter({ cascade: { threshold: 0.95, hedgingPhrases: ['arguably'] } });
    expect((await strict.judge(answer(`Arguably, ${solid}`), decision, request)).escalate).toBe(true);
    expect((await strict.judge(answer(`Perhaps ${solid}`), decision, request)).escalate).toBe(false);
  });
});

describe('judge verifiers', () => {
  const maths: ChatRequest = {
    messages: [
      {
        role: 'user',
        content:
          'A shop sells 12 boxes of 7 pens each and 16 loose pens. How many pens does it sell in total?',
      },
    ],
  };
  const mathsDecision = router.decide(maths, resolveTenantPolicy({ id: 't', tier: 'standard' }));

  it('escalates a confident answer whose arithmetic is wrong, naming the verifier', async () => {
    const verdict = await router.judge(
      answer('The shop sells 12 × 7 = 86 boxed pens, and 86 + 16 = 102 pens in total. The answer is 102.'),
      mathsDecision,
      maths,
    );
    expect(verdict.escalate).toBe(true);
    expect(verdict.reasons.join(' ')).toContain('arithmetic: 12 * 7 = 86 is wrong (84)');
  });

  it('keeps a worked answer whose arithmetic and final answer agree', async () => {
    const verdict = await router.judge(
      answer('The shop sells 12 × 7 = 84 boxed pens, and 84 + 16 = 100 pens in total. The answer is 100.'),
      mathsDecision,
      maths,
    );
    expect(verdict).toMatchObject({ escalate: false, reasons: ['no weakness found'] });
  });

  it('escalates a final answer that is not the result the answer computed', async () => {
    const verdict = await router.judge(
      answer('The shop sells 12 × 7 = 84 boxed pens, and 84 + 16 = 100 pens in total.\n\n#### 96'),
      mathsDecision,
      maths,
    );
    expect(verdict.reasons.join(' ')).toContain(
      'final-answer: final answer 96 is not the last computed result (100)',
    );
    expect(verdict.confidence).toBeLessThan(1);
  });

  it('runs host verifiers, sync and async, after the built-in ones', async () => {
    const host = createRouter({
      cascade: {
        verifiers: [
          { name: 'policy', verify: () => ({ penalty: 0.1, reason: 'mentions a competitor' }) },
          { name: 'remote', verify: async () => ({ penalty: 0.5, reason: 'fact check failed' }) },
        ],
      },
    });
    const pending = host.judge(answer(solid), decision, request);
    expect(pending).toBeInstanceOf(Promise);
    const verdict = await pending;
    expect(verdict.reasons).toEqual([
      'policy: mentions a competitor (-0.10)',
      'remote: fact check failed (-0.50)',
    ]);
    expect(verdict).toMatchObject({ escalate: true, confidence: 0.4 });
  });

  it('answers synchronously when every verifier does', () => {
    const verdict = router.judge(answer(solid), decision, request);
    expect(verdict).not.toBeInstanceOf(Promise);
  });

  it('never fails a request because a verifier throws or rejects', async () => {
    const host = createRouter({
      cascade: {
        verifiers: [
          {
            name: 'broken',
            verify: () => {
              throw new TypeError('boom');
            },
          },
          { name: 'rejecting', verify: () => Promise.reject(new RangeError('late')) },
        ],
      },
    });
    const verdict = await host.judge(answer(solid), decision, request);
    expect(verdict).toMatchObject({ escalate: false, confidence: 1 });
    expect(verdict.reasons).toEqual(['broken: failed (TypeError)', 'rejecting: failed (RangeError)']);
  });

  it('can run without the built-in verifiers, and rejects a verifier without verify()', async () => {
    const bare = createRouter({ cascade: { builtInVerifiers: false } });
    const verdict = await bare.judge(answer('12 × 7 = 86. '.repeat(10)), mathsDecision, maths);
    expect(verdict.reasons.join(' ')).not.toContain('arithmetic');
    expect(() => createRouter({ cascade: { verifiers: [{ name: 'x' } as never] } })).toThrow(
      /cascade\.verifiers/,
    );
  });
});
