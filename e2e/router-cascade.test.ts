import { startProviderEmulator } from '@forge1/adapters/emulator';
import {
  type ChatRequest,
  type ChatResult,
  createCatalog,
  type RouteRung,
  resolveTenantPolicy,
} from '@forge1/core';
import { createRouter } from '@forge1/router';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The router's cascade against the provider emulator, whose small models hedge on hard prompts.
// Only the emulator's OpenAI route is used, through plain fetch.
const catalog = createCatalog();
const policy = resolveTenantPolicy({ id: 'acme', tier: 'professional' });
let emulator: Awaited<ReturnType<typeof startProviderEmulator>>;
beforeAll(async () => {
  emulator = await startProviderEmulator({ seed: 7 });
});
afterAll(async () => {
  await emulator?.close();
});

async function call(model: string, request: ChatRequest): Promise<ChatResult> {
  const response = await fetch(`${emulator.urls.openai}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-e2e-any' },
    body: JSON.stringify({ model, messages: request.messages, max_tokens: request.maxTokens }),
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as {
    choices: Array<{ message: { content: string | null }; finish_reason: string }>;
    usage: { prompt_tokens: number; completion_tokens: number };
  };
  return {
    text: body.choices[0]?.message.content ?? '',
    toolCalls: [],
    finishReason: body.choices[0]?.finish_reason === 'length' ? 'length' : 'stop',
    usage: {
      inputTokens: body.usage.prompt_tokens,
      outputTokens: body.usage.completion_tokens,
      cachedInputTokens: 0,
    },
    provider: 'openai',
    model,
    latencyMs: 0,
  };
}

const easy = [
  'Where is my order #4471?',
  'What time does the Leeds store open on Sunday?',
  'Hi, thanks for the help!',
  'What does KYC stand for?',
];
const hard = [
  'Analyze the root cause of this incident and compare two remediation designs:\n2025-03-12T14:06:01Z ERROR payment-proxy TLS handshake timeout\n2025-03-12T14:06:02Z ERROR payment-proxy TLS handshake timeout',
  'Our SOX audit found a compliance gap in revenue recognition. Analyse the liability and design a remediation plan with trade-offs.',
  'Troubleshoot this: a GDPR breach notification workflow fails under load; diagnose the bottleneck and compare queue designs.',
];
const ask = (content: string): ChatRequest => ({ messages: [{ role: 'user', content }], maxTokens: 600 });

/** Runs a request down its ladder the way the gateway does. */
async function cascade(router: ReturnType<typeof createRouter>, request: ChatRequest) {
  const decision = router.decide(request, policy);
  const rungs: RouteRung[] = [decision, ...decision.ladder];
  const attempts: Array<{ result: ChatResult; escalated: boolean }> = [];
  for (const [index, rung] of rungs.entries()) {
    const result = await call(rung.model, request);
    const verdict = await router.judge(result, decision, request);
    const escalated = verdict.escalate && index < rungs.length - 1;
    attempts.push({ result, escalated });
    if (!escalated) break;
  }
  return { decision, attempts };
}

describe('router cascades against the emulator', () => {
  it('escalates hedged small-model answers on hard prompts and keeps confident ones', async () => {
    const router = createRouter({ providers: ['openai'] });
    for (const content of hard) {
      const request = ask(content);
      const decision = router.decide(request, policy);
      expect(catalog.require(decision.model).tier).not.toBe('small');
      const weak = await call('gpt-4.1-nano', request);
      expect((await router.judge(weak, { ...decision, model: 'gpt-4.1-nano' }, request)).escalate).toBe(true);
      // The first model is the cheapest capable one; when it hedges, the ladder reaches a confident answer.
      const { attempts } = await cascade(router, request);
      const last = attempts.at(-1)!;
      expect(last.escalated).toBe(false);
      expect((await router.judge(last.result, decision, request)).escalate).toBe(false);
    }
    for (const content of easy) {
      const request = ask(content);
      const decision = router.decide(request, policy);
      expect(catalog.require(decision.model).tier).toBe('small');
      expect((await router.judge(await call(decision.model, request), decision, request)).escalate).toBe(
        false,
      );
    }
  });

  it('reports the cascade rate and the savings against always using the strongest rung', async () => {
    // A cost-minded tech tenant sends borderline prompts low and lets the cascade catch the weak answers.
    const router = createRouter({ providers: ['openai'], profiles: { general: { shift: -1 } } });
    const strongest = 'gpt-4.1';
    let requests = 0;
    let cascaded = 0;
    let cost = 0;
    let baseline = 0;
    for (const content of [...easy, ...hard, ...easy.map((text) => `${text} Please reply briefly.`)]) {
      const { attempts } = await cascade(router, ask(content));
      requests++;
      if (attempts.length > 1) cascaded++;
      for (const { result } of attempts) cost += catalog.costOf(result.model, result.usage);
      baseline += catalog.costOf(strongest, attempts.at(-1)!.result.usage);
      expect(attempts.at(-1)!.escalated).toBe(false);
    }
    const savings = baseline - cost;
    console.info(
      `emulator cascade: ${requests} requests, cascade rate ${((cascaded / requests) * 100).toFixed(0)} %, cost ${cost} µ$, always-${strongest} ${baseline} µ$, savings ${((savings / baseline) * 100).toFixed(0)} %`,
    );
    expect(cascaded).toBeGreaterThan(0);
    expect(cascaded).toBeLessThan(requests);
    expect(savings).toBeGreaterThan(0);
  });
});
