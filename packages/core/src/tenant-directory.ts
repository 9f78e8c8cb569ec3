import { z } from 'zod';
import { UnknownTenantError, ValidationError, type ValidationIssue } from './errors.js';
import type { TenantStoreV1 } from './ports/tenant-store.js';
import {
  defaultTierSettings,
  policyInputSchema,
  resolveTenantPolicy,
  type TenantPolicy,
  type TenantPolicyInput,
  type Tier,
  type TierSettings,
  tiers,
} from './tenancy.js';
import { readUntrusted } from './untrusted.js';
import { toIssues } from './validation.js';

/** A partial change to a tenant; nested `limits` and `budget` merge field by field. */
export type TenantPolicyPatch = Partial<Omit<TenantPolicyInput, 'id' | 'limits' | 'budget'>> & {
  limits?: Partial<NonNullable<TenantPolicyInput['limits']>>;
  budget?: Partial<NonNullable<TenantPolicyInput['budget']>>;
};

/** Create, read, update and remove tenants; every write is validated. */
export interface TenantDirectory {
  /** @throws ValidationError on a bad policy or an id already taken. */
  create(input: TenantPolicyInput): Promise<TenantPolicy>;
  /** The tenant's policy, or undefined. @throws ValidationError for an id that is not a string */
  get(id: string): Promise<TenantPolicy | undefined>;
  /** @throws UnknownTenantError */
  resolve(id: string): Promise<TenantPolicy>;
  /** Every tenant's policy. */
  list(): Promise<TenantPolicy[]>;
  /** @throws UnknownTenantError, ValidationError */
  update(id: string, patch: TenantPolicyPatch): Promise<TenantPolicy>;
  /** True when the tenant existed. */
  remove(id: string): Promise<boolean>;
}

/** Options of {@link createTenantDirectory}. */
export interface TenantDirectoryOptions {
  /** Where policies live. @default an in-memory store */
  store?: TenantStoreV1;
  /** Per-tier changes to {@link defaultTierSettings}. */
  tiers?: Partial<Record<Tier, Partial<TierSettings>>>;
  /** Tenants to create at start (validated). */
  tenants?: readonly TenantPolicyInput[];
}

/**
 * A tenant directory over a {@link TenantStoreV1}.
 * @example
 * ```ts
 * const tenants = createTenantDirectory({ tenants: [{ id: 'acme', tier: 'enterprise', industry: 'finance' }] });
 * const policy = await tenants.resolve('acme'); // policy.priority === 100
 * ```
 */
export function createTenantDirectory(options: TenantDirectoryOptions = {}): TenantDirectory {
  const checked = checkDirectoryOptions(options);
  const store = checked.store ?? createMemoryTenantStore();
  const settings = checked.settings;
  // Seed tenants are validated here, so a bad one fails at construction, named, instead of at the
  // first request of every tenant.
  const initial = checked.tenants.map((input) => ({ input, policy: resolveTenantPolicy(input, settings) }));
  // Stored inputs are kept beside resolved policies so that an update re-applies tier defaults.
  const inputs = new Map<string, TenantPolicyInput>();
  let seeded: Promise<void> | undefined;

  const seed = () => {
    seeded ??= (async () => {
      for (const { input } of initial) await create(input);
    })();
    return seeded;
  };

  const checkId = (id: unknown): string => {
    if (typeof id !== 'string' || id.length === 0) {
      throw new ValidationError('tenant id', [
        { path: 'id', message: `expected a non-empty string, got ${typeof id}` },
      ]);
    }
    return id;
  };

  async function create(input: TenantPolicyInput): Promise<TenantPolicy> {
    const policy = resolveTenantPolicy(input, settings);
    if (await store.get(policy.id)) {
      throw new ValidationError('tenant policy', [
        { path: 'id', message: `tenant "${policy.id}" already exists` },
      ]);
    }
    await store.put(policy);
    inputs.set(policy.id, input);
    return policy;
  }

  return {
    async create(input) {
      await seed();
      return create(input);
    },
    async get(id) {
      checkId(id);
      await seed();
      return store.get(id);
    },
    async resolve(id) {
      checkId(id);
      await seed();
      const policy = await store.get(id);
      if (!policy) throw new UnknownTenantError(id);
      return policy;
    },
    async list() {
      await seed();
      return store.list();
    },
    async update(id, input) {
      checkId(id);
      const patch = readUntrusted(input, 'tenant policy patch');
      if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
        throw new ValidationError('tenant policy patch', [{ path: '', message: 'expected an object' }]);
      }
      await seed();
      const current = await store.get(id);
      if (!current) throw new UnknownTenantError(id);
      const base: TenantPolicyInput = inputs.get(id) ?? policyToInput(current);
      const merged = {
        ...base,
        ...patch,
        id,
        limits: { ...base.limits, ...patch.limits },
        budget: { ...base.budget, ...patch.budget },
      };
      const policy = resolveTenantPolicy(merged, settings);
      await store.put(policy);
      inputs.set(id, merged);
      return policy;
    },
    async remove(id) {
      checkId(id);
      await seed();
      inputs.delete(id);
      return store.delete(id);
    },
  };
}

interface CheckedDirectoryOptions {
  store: TenantStoreV1 | undefined;
  settings: Record<Tier, TierSettings>;
  tenants: readonly TenantPolicyInput[];
}

const tierSettingsSchema = z
  .object({
    priority: z.number().int().min(0).max(1000),
    rateMultiplier: z.number().positive().max(100),
    reservedShare: z.number().min(0).max(1),
    dedicatedKeysAllowed: z.boolean(),
    dailyRequests: z.number().int().positive(),
    monthlyBudgetMicros: z.number().int().nonnegative(),
  })
  .partial()
  .strict();

const directoryOptionKeys = new Set(['store', 'tiers', 'tenants']);

function checkDirectoryOptions(options: unknown): CheckedDirectoryOptions {
  const raw = readUntrusted(options ?? {}, 'tenant directory options');
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ValidationError('tenant directory options', [{ path: '', message: 'expected an object' }]);
  }
  const { store, tiers: tierChanges, tenants: seedTenants } = raw as TenantDirectoryOptions;
  const issues: ValidationIssue[] = [];
  for (const key of Object.keys(raw)) {
    if (!directoryOptionKeys.has(key)) issues.push({ path: key, message: 'unknown option' });
  }
  const settings = { ...defaultTierSettings };
  if (tierChanges !== undefined) {
    if (typeof tierChanges !== 'object' || tierChanges === null) {
      issues.push({ path: 'tiers', message: 'expected an object keyed by tier' });
    } else {
      for (const key of Object.keys(tierChanges)) {
        if (!(tiers as readonly string[]).includes(key)) {
          issues.push({ path: `tiers.${key}`, message: `unknown tier; expected one of ${tiers.join(', ')}` });
        }
      }
      for (const tier of tiers) {
        const result = tierSettingsSchema.safeParse(tierChanges[tier] ?? {});
        if (result.success) settings[tier] = { ...defaultTierSettings[tier], ...result.data } as TierSettings;
        else
          for (const issue of toIssues(result.error))
            issues.push({ ...issue, path: `tiers.${tier}.${issue.path}` });
      }
    }
  }
  if (
    store !== undefined &&
    (typeof store !== 'object' || store === null || store.specificationVersion !== 'v1')
  ) {
    issues.push({ path: 'store', message: 'expected a TenantStoreV1 (specificationVersion "v1")' });
  }
  if (seedTenants !== undefined && !Array.isArray(seedTenants)) {
    issues.push({ path: 'tenants', message: 'expected an array of tenant policies' });
  }
  const list: readonly unknown[] = Array.isArray(seedTenants) ? seedTenants : [];
  const seen = new Set<string>();
  list.forEach((input, index) => {
    const result = policyInputSchema.safeParse(input);
    const id =
      typeof (input as { id?: unknown } | null)?.id === 'string' ? (input as { id: string }).id : undefined;
    const where = id === undefined ? `tenants[${index}]` : `tenants[${index}] ("${id}")`;
    if (!result.success) {
      for (const issue of toIssues(result.error)) issues.push({ ...issue, path: `${where}.${issue.path}` });
    } else if (seen.has(result.data.id)) {
      issues.push({ path: `${where}.id`, message: `tenant "${result.data.id}" is listed twice` });
    } else {
      seen.add(result.data.id);
    }
  });
  if (issues.length > 0) throw new ValidationError('tenant directory options', issues);
  return { store, settings, tenants: list as readonly TenantPolicyInput[] };
}

function policyToInput(policy: TenantPolicy): TenantPolicyInput {
  return {
    ...policy,
    limits: { ...policy.limits },
    budget: { ...policy.budget },
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/**
 * The default {@link TenantStoreV1}: a map in memory. Stored policies are frozen copies, so
 * reads (one per request) hand out the same object without copying, and nobody can change it.
 */
export function createMemoryTenantStore(): TenantStoreV1 {
  const map = new Map<string, TenantPolicy>();
  return {
    specificationVersion: 'v1',
    async get(id) {
      return map.get(id);
    },
    async list() {
      return [...map.values()];
    },
    async put(policy) {
      // The policy as data, read once (a getter, Proxy or cycle is a validation error).
      const copy = readUntrusted(policy, 'tenant store policy');
      if (typeof copy !== 'object' || copy === null || typeof copy.id !== 'string') {
        throw new ValidationError('tenant store policy', [
          { path: 'id', message: 'expected a tenant policy' },
        ]);
      }
      let stored: TenantPolicy;
      try {
        stored = structuredClone(copy);
      } catch (thrown) {
        throw new ValidationError('tenant store policy', [{ path: '', message: 'is not plain data' }], {
          cause: thrown,
        });
      }
      map.set(stored.id, deepFreeze(stored));
    },
    async delete(id) {
      return map.delete(id);
    },
  };
}
