import { createCatalog } from '@forge1/core';
import { createStatsRecorder } from '@forge1/router';
import { describe, expect, it } from 'vitest';
import { refusal } from './test-refusal.js';

const catalog = createCatalog();
const usage = { inputTokens: 10, outputTokens: 5, cachedInputTokens: 0 };
const observed = {
  requestId: 'r1',
  tenantId: 'acme',
  level: 'simple' as const,
  decision: { provider: 'openai', model: 'gpt-5-nano' },
  model: 'gpt-5-nano',
  cascaded: false,
  fellBack: false,
  costMicros: 3,
  attempts: [{ provider: 'openai', model: 'gpt-5-nano', ok: true, usage }],
};

describe('the public stats recorder', () => {
  it('names the option it refuses', () => {
    expect(refusal(() => createStatsRecorder({ catalog, pendingLimit: 0 }))).toEqual(['pendingLimit']);
    expect(refusal(() => createStatsRecorder({ catalog, providers: ['openai'] as never }))).toEqual([
      'providers',
    ]);
    expect(refusal(() => createStatsRecorder({ catalog, baselineModel: 7 as never }))).toEqual([
      'baselineModel',
    ]);
  });

  it('refuses a request whose cost or level would corrupt the totals, and counts the rest', () => {
    const recorder = createStatsRecorder({ catalog });
    expect(refusal(() => recorder.observe({ ...observed, costMicros: Number.NaN }))).toEqual([
      'result.costMicros',
    ]);
    expect(refusal(() => recorder.observe({ ...observed, level: 'toString' as never }))).toEqual([
      'result.level',
    ]);
    expect(refusal(() => recorder.observe({ ...observed, attempts: undefined as never }))).toEqual([
      'result.attempts',
    ]);
    recorder.observe(observed);
    expect(recorder.snapshot()).toMatchObject({ requests: 1, costMicros: 3 });
  });

  it('refuses to attach to something without on', () => {
    expect(refusal(() => createStatsRecorder({ catalog }).attach(null as never))).toEqual(['events']);
  });
});
