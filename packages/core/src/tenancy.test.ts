import { describe, expect, it } from 'vitest';
import {
  createTenantDirectory,
  Forge1Error,
  policyInputSchema,
  resolveTenantPolicy,
  ValidationError,
} from './index.js';

describe('resolveTenantPolicy', () => {
  it('fills a policy in from the tier defaults of the product design', () => {
    const enterprise = resolveTenantPolicy({ id: 'acme', tier: 'enterprise', industry: 'finance' });
    expect(enterprise).toMatchObject({
      name: 'acme',
      priority: 100,
      rateMultiplier: 5,
      reservedShare: 0.8,
      dedicatedKeysAllowed: true,
      limits: { dailyRequests: 100_000, monthlyTokens: null },
      budget: { alertThresholds: [0.5, 0.8, 1], onExceeded: 'refuse' },
      preference: 'balanced',
    });
    expect(resolveTenantPolicy({ id: 'p', tier: 'professional' })).toMatchObject({
      priority: 50,
      reservedShare: 0.4,
    });
    expect(resolveTenantPolicy({ id: 's', tier: 'standard' })).toMatchObject({
      priority: 10,
      rateMultiplier: 1,
      limits: { dailyRequests: 1_000 },
      industry: 'general',
    });
  });

  it('lets explicit fields override the tier', () => {
    const policy = resolveTenantPolicy({
      id: 't',
      tier: 'standard',
      limits: { dailyRequests: 5 },
      budget: { monthlyMicros: null, onExceeded: 'downgrade' },
    });
    expect(policy.limits.dailyRequests).toBe(5);
    expect(policy.budget).toMatchObject({ monthlyMicros: null, onExceeded: 'downgrade' });
  });

  it('rejects a bad policy with one field-level message per bad field', () => {
    try {
      resolveTenantPolicy({
        id: 'bad id!',
        tier: 'platinum',
        limits: { dailyRequests: -3 },
        budget: { alertThresholds: [0.9, 0.5] },
        surprise: true,
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      const paths = (error as ValidationError).issues.map((issue) => issue.path);
      expect(paths).toEqual(
        expect.arrayContaining(['id', 'tier', 'limits.dailyRequests', 'budget.alertThresholds']),
      );
      expect((error as ValidationError).issues.some((i) => /surprise/.test(i.message))).toBe(true);
    }
  });

  it('rejects input that is not an object at all', () => {
    for (const input of [null, 42, 'acme', []]) {
      expect(() => resolveTenantPolicy(input)).toThrow(ValidationError);
    }
  });
});

describe('createTenantDirectory', () => {
  it('creates, reads, lists, updates and removes tenants', async () => {
    const tenants = createTenantDirectory({ tenants: [{ id: 'acme', tier: 'enterprise' }] });
    await tenants.create({ id: 'beta', tier: 'standard', industry: 'tech' });
    expect((await tenants.list()).map((t) => t.id).sort()).toEqual(['acme', 'beta']);
    const updated = await tenants.update('beta', {
      tier: 'professional',
      budget: { onExceeded: 'downgrade' },
    });
    expect(updated).toMatchObject({
      tier: 'professional',
      priority: 50,
      industry: 'tech',
      budget: { onExceeded: 'downgrade' },
    });
    expect(await tenants.remove('beta')).toBe(true);
    expect(await tenants.get('beta')).toBeUndefined();
  });

  it('refuses a duplicate id and an invalid update', async () => {
    const tenants = createTenantDirectory({ tenants: [{ id: 'acme', tier: 'enterprise' }] });
    await expect(tenants.create({ id: 'acme', tier: 'standard' })).rejects.toThrow(/already exists/);
    await expect(tenants.update('acme', { preference: 'cheapest' as never })).rejects.toBeInstanceOf(
      ValidationError,
    );
    expect((await tenants.resolve('acme')).tier).toBe('enterprise');
  });

  it('throws unknown_tenant when resolving a tenant that does not exist', async () => {
    const tenants = createTenantDirectory();
    const error = await tenants.resolve('ghost').catch((e: unknown) => e);
    expect(Forge1Error.is(error, 'unknown_tenant')).toBe(true);
    await expect(tenants.update('ghost', {})).rejects.toMatchObject({ code: 'unknown_tenant' });
  });

  it('applies per-tier overrides of the directory', async () => {
    const tenants = createTenantDirectory({ tiers: { standard: { dailyRequests: 50 } } });
    expect((await tenants.create({ id: 's', tier: 'standard' })).limits.dailyRequests).toBe(50);
  });

  it('hands out frozen policies so that callers cannot change stored ones', async () => {
    const tenants = createTenantDirectory({ tenants: [{ id: 'acme', tier: 'enterprise' }] });
    const policy = await tenants.resolve('acme');
    expect(() => {
      policy.limits.dailyRequests = 1;
    }).toThrow(TypeError);
    expect((await tenants.resolve('acme')).limits.dailyRequests).toBe(100_000);
  });

  it('refuses ids that are not strings with a validation error', async () => {
    const tenants = createTenantDirectory();
    for (const id of [42, null, Object.create(null), Symbol('x')]) {
      await expect(tenants.resolve(id as never)).rejects.toMatchObject({ code: 'validation_error' });
    }
  });

  it('exposes the policy input schema', () => {
    expect(policyInputSchema.safeParse({ id: 'acme', tier: 'standard' }).success).toBe(true);
    expect(policyInputSchema.safeParse({ id: 'acme', tier: 'gold' }).success).toBe(false);
  });

  it('keeps a compliance section when given and refuses an unknown detector action', () => {
    const policy = resolveTenantPolicy({
      id: 'clinic',
      tier: 'standard',
      compliance: { preset: 'healthcare', detectors: { email: 'tokenize', ip: 'off' }, retentionDays: 30 },
    });
    expect(policy.compliance).toEqual({
      preset: 'healthcare',
      detectors: { email: 'tokenize', ip: 'off' },
      retentionDays: 30,
    });
    expect(resolveTenantPolicy({ id: 'plain', tier: 'standard' })).not.toHaveProperty('compliance');
    expect(() =>
      resolveTenantPolicy({ id: 'x', tier: 'standard', compliance: { detectors: { email: 'shred' } } }),
    ).toThrow(/compliance\.detectors\.email/);
  });

  it('refuses a bad seed tenant at construction, naming it, instead of failing every tenant later', () => {
    const build = () =>
      createTenantDirectory({
        tenants: [
          { id: 'good', tier: 'standard' },
          { id: 'typo', tier: 'enterprize' as never },
        ],
      });
    expect(build).toThrow(ValidationError);
    expect(build).toThrow(/tenants\[1\] \("typo"\)\.tier/);
  });

  it('refuses a seed list with the same tenant twice', () => {
    expect(() =>
      createTenantDirectory({
        tenants: [
          { id: 'a', tier: 'standard' },
          { id: 'a', tier: 'professional' },
        ],
      }),
    ).toThrow(/listed twice/);
  });

  it('refuses unknown tiers and bad tier settings in the options', () => {
    expect(() => createTenantDirectory({ tiers: { platinum: { priority: 1 } } as never })).toThrow(
      /tiers\.platinum/,
    );
    expect(() => createTenantDirectory({ tiers: { standard: { priority: -1 } } })).toThrow(
      /tiers\.standard\.priority/,
    );
  });

  it('takes null options as none, and refuses options that are not an object with a validation error', async () => {
    await expect(createTenantDirectory(null as never).list()).resolves.toEqual([]);
    for (const options of [42, 'x', []]) {
      expect(() => createTenantDirectory(options as never)).toThrow(ValidationError);
    }
  });
});
