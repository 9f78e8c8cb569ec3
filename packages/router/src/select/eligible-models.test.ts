import {
  createCatalog,
  ErrorCode,
  Forge1Error,
  ResidencyError,
  resolveTenantPolicy,
  type TenantPolicyInput,
} from '@forge1/core';
import { describe, expect, it } from 'vitest';
import { eligibleModels, isUsableProvider, servesRegions } from './eligible-models.js';

const catalog = createCatalog({
  models: [
    { ...createCatalog().require('gpt-5-mini'), regions: ['us', 'eu'] },
    { ...createCatalog().require('claude-sonnet-4-6'), regions: ['us'] },
  ],
});
const policy = (input: Partial<TenantPolicyInput> = {}) =>
  resolveTenantPolicy({ id: 'acme', tier: 'standard', ...input });
const ask = { messages: [{ role: 'user' as const, content: 'Hello' }] };
const tokens = { input: 10, output: 100 };

describe('eligible models', () => {
  it('treats a model without regions as served anywhere and one with regions only there', () => {
    const mini = catalog.require('gpt-5-mini');
    expect(servesRegions(catalog.require('gpt-5-nano'), ['eu'])).toBe(true);
    expect(servesRegions(mini, ['eu'])).toBe(true);
    expect(servesRegions(mini, ['apac'])).toBe(false);
    expect(servesRegions(mini, null)).toBe(true);
  });

  it('keeps only models whose regions intersect the tenant regions', () => {
    const models = eligibleModels(catalog, policy({ regions: ['eu'] }), ask, null, tokens).map((m) => m.id);
    expect(models).toContain('gpt-5-mini');
    expect(models).not.toContain('claude-sonnet-4-6');
  });

  it('refuses with a residency error naming the regions when no capable model is in them', () => {
    const pinned = policy({ regions: ['apac'], allowedModels: ['gpt-5-mini', 'claude-sonnet-4-6'] });
    let error: unknown;
    try {
      eligibleModels(catalog, pinned, ask, null, tokens);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ResidencyError);
    expect(Forge1Error.is(error, ErrorCode.residency)).toBe(true);
    expect((error as ResidencyError).regions).toEqual(['apac']);
    expect((error as Error).message).toContain('apac');
  });

  it('intersects the host providers with the providers the gateway can call', () => {
    const providers = ['openai', 'google', 'anthropic'];
    expect(providers.filter((provider) => isUsableProvider(null, undefined, provider))).toEqual(providers);
    expect(providers.filter((provider) => isUsableProvider(null, ['google'], provider))).toEqual(['google']);
    const host = new Set(['openai', 'google']);
    expect(providers.filter((provider) => isUsableProvider(host, ['google', 'anthropic'], provider))).toEqual(
      ['google'],
    );
    const called = eligibleModels(catalog, policy(), ask, host, tokens, catalog.list(), ['anthropic']);
    expect(called).toEqual([]);
  });
});
