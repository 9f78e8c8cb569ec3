import { createTenantDirectory, resolveTenantPolicy } from '@forge1/core';
import { describe, expect, it } from 'vitest';
import { compliancePresets, resolveCompliance, withPreset } from './presets.js';

describe('resolveCompliance', () => {
  it('applies a preset, then the policy overrides, and drops detectors turned off', () => {
    const policy = resolveTenantPolicy({
      id: 'bank',
      tier: 'enterprise',
      compliance: { preset: 'finance', detectors: { email: 'tokenize', phone: 'off' }, retentionDays: 90 },
    });
    expect(resolveCompliance(policy)).toEqual({
      preset: 'finance',
      detectors: { ...compliancePresets.finance!.detectors, email: 'tokenize', phone: undefined },
      audit: true,
      requireRegions: false,
      retentionDays: 90,
    });
    expect(resolveCompliance(policy).detectors).not.toHaveProperty('phone');
    expect(resolveCompliance(policy).detectors.paymentCard).toBe('block');
  });

  it('uses the host defaults under everything and turns nothing on for a plain tenant', () => {
    const plain = resolveTenantPolicy({ id: 'plain', tier: 'standard' });
    expect(resolveCompliance(plain)).toEqual({
      preset: null,
      detectors: {},
      audit: false,
      requireRegions: false,
      retentionDays: null,
    });
    expect(
      resolveCompliance(plain, compliancePresets, { detectors: { secret: 'mask' }, audit: true }),
    ).toMatchObject({
      detectors: { secret: 'mask' },
      audit: true,
    });
  });

  it('pins healthcare tenants to regions and refuses an unknown preset', () => {
    const clinic = resolveTenantPolicy({
      id: 'clinic',
      tier: 'standard',
      compliance: { preset: 'healthcare' },
    });
    expect(resolveCompliance(clinic)).toMatchObject({ requireRegions: true, audit: true });
    expect(resolveCompliance(clinic).detectors).toMatchObject({ email: 'tokenize', ssn: 'tokenize' });
    const odd = resolveTenantPolicy({ id: 'odd', tier: 'standard', compliance: { preset: 'space' } });
    expect(() => resolveCompliance(odd)).toThrow(expect.objectContaining({ code: 'configuration_error' }));
  });
});

describe('withPreset', () => {
  it('gives a policy input that a tenant directory accepts, with regions and overrides kept', async () => {
    const input = withPreset(
      { id: 'clinic', tier: 'professional', compliance: { detectors: { ip: 'off' } } },
      'healthcare',
      { regions: ['eu'] },
    );
    const policy = await createTenantDirectory().create(input);
    expect(policy.regions).toEqual(['eu']);
    expect(policy.compliance).toEqual({ preset: 'healthcare', detectors: { ip: 'off' } });
  });
});
