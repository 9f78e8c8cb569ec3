import { createGateway, createTenantDirectory } from '@forge1/core';
import { createRecordingMeter, createScriptedAdapter, createStaticKeyPool } from '@forge1/core/testing';
import { createLlmJudge, createRouter } from '@forge1/router';
import { describe, expect, it } from 'vitest';

// The router's LLM judge through a real gateway: its call is an attempt of its own (purpose
// 'judge', metered), its verdict drives the cascade, and its failure never fails the request.
const question = 'A box holds 12 packs of 7 pens. How many pens are in the box?';
const judgeModel = { provider: 'openai', model: 'gpt-5-nano' };

function stack(verdict: (answer: string) => string | Error) {
  const openai = createScriptedAdapter('openai', (request) => {
    const system = request.messages[0];
    if (system?.role === 'system' && String(system.content).startsWith('You check answers')) {
      const answer = String(request.messages[1]?.content ?? '');
      const outcome = verdict(answer);
      return outcome instanceof Error ? { error: outcome as never } : { text: outcome };
    }
    // The first rung answers wrongly without showing any arithmetic; stronger ones get it right.
    return {
      text:
        request.model === 'gpt-5-nano' ? 'There are 96 pens in the box.' : 'There are 84 pens in the box.',
    };
  });
  const meter = createRecordingMeter();
  const gateway = createGateway({
    tenants: createTenantDirectory({ tenants: [{ id: 'acme', tier: 'standard' }] }),
    router: createRouter({
      providers: ['openai'],
      cascade: { verifiers: [createLlmJudge({ model: judgeModel, timeoutMs: 2000 })] },
    }),
    keys: createStaticKeyPool(),
    providers: { openai },
    meter,
  });
  return { gateway, meter, openai };
}

describe('the LLM judge through the gateway', () => {
  it('escalates an answer the judge model calls wrong, with the judge call metered as its own attempt', async () => {
    const { gateway, meter } = stack((answer) =>
      answer.includes('96') ? 'VERDICT: WRONG 12 × 7 is 84.' : 'VERDICT: CORRECT',
    );
    const result = await gateway.chat({ tenant: 'acme', messages: [{ role: 'user', content: question }] });
    expect(result.text).toContain('84');
    expect(result.cascaded).toBe(true);
    const judged = result.attempts.filter((attempt) => attempt.purpose === 'judge');
    expect(judged.length).toBeGreaterThanOrEqual(1);
    expect(judged.every((attempt) => attempt.model === 'gpt-5-nano' && attempt.costMicros > 0)).toBe(true);
    await gateway.close();
    expect(meter.records.filter((record) => record.purpose === 'judge').length).toBe(judged.length);
  });

  it('keeps the first answer when the judge model fails', async () => {
    const { gateway } = stack(() => new Error('judge down'));
    const result = await gateway.chat({ tenant: 'acme', messages: [{ role: 'user', content: question }] });
    expect(result.cascaded).toBe(false);
    expect(result.text).toContain('96');
    await gateway.close();
  });
});
