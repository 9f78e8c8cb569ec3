import { parseWith } from '@forge1/core';
import { z } from 'zod';
import { denseSize } from '../model/difficulty-features.js';
import {
  type DifficultyWeights,
  difficultyLogit,
  type FeatureVector,
  sigmoid,
  slotScale,
} from '../model/difficulty-model.js';
import { createMemoryLearnerStore, type LearnerStore, type WeightIncrements } from './learner-store.js';
import { createSeededRandom } from './seeded-random.js';

/** Options of {@link createOnlineLearner}. */
export interface LearnerOptions {
  /** Learn from feedback at all. @default true */
  enabled?: boolean;
  /** Weight of a failed answer against cost, in units of the dearest tier's expected cost. @default 4 */
  lambda?: number;
  /** Step size of the online logistic updates of the bias and the hashed n-grams. @default 0.3 */
  learningRate?: number;
  /** Step size for the dense features, which every request shares. @default learningRate / 10 */
  denseLearningRate?: number;
  /** Shrinkage of the tenant's dense weights towards the prior, per update. @default 0.001 */
  l2?: number;
  /** Share of eligible decisions that try the small tier to learn from it. @default 0.05 */
  epsilon?: number;
  /** Seed of the exploration. @default 1 */
  seed?: number;
  /** Feedback a tenant needs before its learned probability may move the tier. @default 20 */
  minimumObservations?: number;
  /** Where tenants' weights are shared between processes. @default a private memory store */
  store?: LearnerStore;
  /** How often a tenant's weights are re-read from a shared store. @default 1000 */
  syncIntervalMs?: number;
  /** @default Date.now */
  now?: () => number;
  /** Called when the shared store fails; learning goes on locally. */
  onStoreError?: (error: unknown) => void;
}

/** A tenant's correction of the prior: logit = prior + bias + dense · w + Σ hashed / √count. */
interface TenantWeights {
  observations: number;
  bias: number;
  dense: Float64Array;
  hashed: Map<number, number>;
  syncedAt: number;
}

/** What an exported learner holds: plain JSON. */
export interface LearnerState {
  version: 2;
  random: number;
  tenants: Record<
    string,
    { observations: number; bias: number; dense: number[]; hashed: Record<string, number> }
  >;
}

/** Per-tenant online correction of the shipped prior's probability that a small model's answer is not good enough. */
export interface OnlineLearner {
  readonly enabled: boolean;
  /**
   * The probability, for this tenant, that a small-tier answer is not good enough: a stronger
   * model's would be better. `offset` is added to the logit (the router's base calibration).
   */
  probability(tenantId: string, features: FeatureVector, offset?: number): number;
  /** Feedback seen for a tenant (merged over processes sharing the store). */
  observations(tenantId: string): number;
  /** Learns that a stronger model's answer to these features was better (`better` 1) or not (0). */
  update(tenantId: string, features: FeatureVector, better: number, weight?: number, offset?: number): void;
  /** True when this decision should try the small tier (seeded, deterministic). */
  explore(): boolean;
  /** Re-reads a tenant's weights from the store. */
  sync(tenantId: string): Promise<void>;
  exportState(): LearnerState;
  /** @throws ValidationError on a malformed state. */
  importState(state: unknown): void;
}

const stateSchema = z.object({
  version: z.literal(2),
  random: z.number().int().nonnegative(),
  tenants: z.record(
    z.string(),
    z.object({
      observations: z.number().int().nonnegative(),
      bias: z.number().finite(),
      dense: z.array(z.number().finite()).length(denseSize),
      hashed: z.record(z.string().regex(/^\d+$/), z.number().finite()),
    }),
  ),
});

const emptyTenant = (): TenantWeights => ({
  observations: 0,
  bias: 0,
  dense: new Float64Array(denseSize),
  hashed: new Map(),
  syncedAt: Number.NEGATIVE_INFINITY,
});

/** Rebuilds a tenant's weights from the store's fields (`n`, `b`, `d<i>`, `h<slot>`). */
function fromIncrements(fields: WeightIncrements): TenantWeights {
  const tenant = emptyTenant();
  for (const [field, value] of fields) {
    if (field === 'n') tenant.observations = Math.round(value);
    else if (field === 'b') tenant.bias = value;
    else if (field[0] === 'd') tenant.dense[Number(field.slice(1))] = value;
    else if (field[0] === 'h') tenant.hashed.set(Number(field.slice(1)), value);
  }
  return tenant;
}

/**
 * Creates the online learner: for each tenant, a logistic correction of the prior over the same
 * features, updated by feedback, seeded and deterministic, exportable as JSON, and shared between
 * processes through a {@link LearnerStore} (updates are increments, so processes add up).
 * @example
 * ```ts
 * const learner = createOnlineLearner({ prior: priorWeights() }, { epsilon: 0.05 });
 * learner.update('acme', features, 1); // a small model failed on this request
 * ```
 */
export function createOnlineLearner(
  model: { prior: DifficultyWeights; priorWeight?: number },
  options: LearnerOptions = {},
): OnlineLearner {
  const rate = options.learningRate ?? 0.3;
  const denseRate = options.denseLearningRate ?? rate / 10;
  const l2 = options.l2 ?? 0.001;
  const epsilon = options.epsilon ?? 0.05;
  const store = options.store ?? createMemoryLearnerStore();
  const shared = options.store !== undefined;
  const interval = options.syncIntervalMs ?? 1000;
  const now = options.now ?? Date.now;
  let random = createSeededRandom(options.seed ?? 1);
  let tenants = new Map<string, TenantWeights>();
  const syncing = new Set<string>();
  const report = (error: unknown) => options.onStoreError?.(error);

  const tenantOf = (tenantId: string) => {
    let tenant = tenants.get(tenantId);
    if (!tenant) {
      tenant = emptyTenant();
      tenants.set(tenantId, tenant);
    }
    return tenant;
  };
  const sync = async (tenantId: string) => {
    const fields = await store.read(tenantId);
    const tenant = fields ? fromIncrements(fields) : emptyTenant();
    tenant.syncedAt = now();
    tenants.set(tenantId, tenant);
  };
  const maybeSync = (tenantId: string) => {
    const tenant = tenants.get(tenantId);
    if (!shared || syncing.has(tenantId) || (tenant && now() - tenant.syncedAt < interval)) return;
    syncing.add(tenantId);
    sync(tenantId)
      .catch(report)
      .finally(() => syncing.delete(tenantId));
  };
  const tenantLogit = (tenant: TenantWeights | undefined, features: FeatureVector) => {
    if (!tenant || tenant.observations === 0) return 0;
    let sum = tenant.bias;
    for (let index = 0; index < denseSize; index++) sum += tenant.dense[index]! * features.dense[index]!;
    const count = features.count ?? features.slots.length;
    let hashed = 0;
    for (let index = 0; index < count; index++) hashed += tenant.hashed.get(features.slots[index]!) ?? 0;
    return sum + hashed * slotScale(count);
  };
  const probability = (tenantId: string, features: FeatureVector, offset = 0) => {
    maybeSync(tenantId);
    const prior = (model.priorWeight ?? 1) * difficultyLogit(model.prior, features);
    return sigmoid(offset + prior + tenantLogit(tenants.get(tenantId), features));
  };

  return {
    enabled: options.enabled ?? true,
    probability,
    observations: (tenantId) => tenants.get(tenantId)?.observations ?? 0,
    update(tenantId, features, better, weight = 1, offset = 0) {
      const target = Math.min(1, Math.max(0, better));
      const gradient = (probability(tenantId, features, offset) - target) * weight;
      const tenant = tenantOf(tenantId);
      const increments = new Map<string, number>([
        ['n', 1],
        ['b', -rate * gradient],
      ]);
      tenant.observations++;
      tenant.bias -= rate * gradient;
      for (let index = 0; index < denseSize; index++) {
        const step = -denseRate * (gradient * features.dense[index]! + l2 * tenant.dense[index]!);
        if (step === 0) continue;
        tenant.dense[index]! += step;
        increments.set(`d${index}`, step);
      }
      const count = features.count ?? features.slots.length;
      const step = -rate * gradient * slotScale(count);
      for (let index = 0; index < count; index++) {
        const slot = features.slots[index]!;
        tenant.hashed.set(slot, (tenant.hashed.get(slot) ?? 0) + step);
        increments.set(`h${slot}`, (increments.get(`h${slot}`) ?? 0) + step);
      }
      try {
        const done = store.add(tenantId, increments);
        if (done instanceof Promise) done.catch(report);
      } catch (error) {
        report(error);
      }
    },
    explore: () => epsilon > 0 && random.next() < epsilon,
    sync,
    exportState() {
      const out: LearnerState = { version: 2, random: random.state(), tenants: {} };
      for (const [id, tenant] of tenants) {
        out.tenants[id] = {
          observations: tenant.observations,
          bias: tenant.bias,
          dense: [...tenant.dense],
          hashed: Object.fromEntries([...tenant.hashed].map(([slot, value]) => [String(slot), value])),
        };
      }
      return out;
    },
    importState(state) {
      const parsed = parseWith(
        stateSchema,
        typeof state === 'string' ? safeJson(state) : state,
        'learner state',
      );
      random = createSeededRandom(parsed.random);
      tenants = new Map(
        Object.entries(parsed.tenants).map(([id, tenant]) => [
          id,
          {
            observations: tenant.observations,
            bias: tenant.bias,
            dense: Float64Array.from(tenant.dense),
            hashed: new Map(Object.entries(tenant.hashed).map(([slot, value]) => [Number(slot), value])),
            syncedAt: Number.NEGATIVE_INFINITY,
          },
        ]),
      );
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
