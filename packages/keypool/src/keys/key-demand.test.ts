import { ValidationError } from '@forge1/core';
import { describe, expect, it } from 'vitest';
import { checkDemand } from './key-demand.js';

const tiers = new Map([
  ['enterprise', 0],
  ['standard', 1],
]);

describe('checkDemand', () => {
  it('accepts a well-formed demand', () => {
    expect(
      checkDemand(
        { provider: 'openai', model: 'gpt-4o', estTokens: 0, tenantId: 't', tier: 'standard' },
        tiers,
      ),
    ).toBeUndefined();
  });

  it('names every bad field', () => {
    const error = checkDemand(
      { provider: '', model: 3, estTokens: Number.NaN, tenantId: 't', tier: 'gold' } as never,
      tiers,
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect(error?.issues.map((issue) => issue.path)).toEqual(['provider', 'model', 'estTokens', 'tier']);
  });

  it('refuses something that is not an object', () => {
    expect(checkDemand(null as never, tiers)?.issues).toEqual([{ path: '', message: 'expected an object' }]);
  });
});

describe('checkDemand regions', () => {
  const base = {
    provider: 'openai',
    model: 'gpt-4o',
    estTokens: 0,
    tenantId: 't',
    tier: 'standard',
  } as const;

  it('accepts a list of region names', () => {
    expect(checkDemand({ ...base, regions: ['eu', 'ch'] }, tiers)).toBeUndefined();
  });

  it('refuses an empty region list, which no key could serve', () => {
    expect(checkDemand({ ...base, regions: [] }, tiers)?.issues.map((issue) => issue.path)).toEqual([
      'regions',
    ]);
  });

  it('refuses a region that is not a name', () => {
    expect(checkDemand({ ...base, regions: ['eu', ''] }, tiers)?.issues.map((issue) => issue.path)).toEqual([
      'regions',
    ]);
  });
});
