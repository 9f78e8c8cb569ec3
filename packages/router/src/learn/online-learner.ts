import { expectObject, parseWith, readOptions, readUntrusted } from '@forge1/core';
import { z } from 'zod';
import { denseSize } from '../model/difficulty-features.js';
import {
  type DifficultyWeights,
  difficultyLogit,
  type FeatureVector,
  sigmoid,
  slotScale,
} from '../model/difficulty-model.js';
import type { LearnerStore, WeightIncrements } from './learner-store.js';
import { createSeededRandom } from './seeded-random.js';
import { SlotWeights } from './slot-weights.js';

/** Options of {@link createOnlineLearner}. */
export interface LearnerOptions {
  /** Learn from feedback at all. @default true */
  enabled?: boolean;
  /** Weight of a failed answer against cost, in units of the dearest tier's expected cost. @default 4 */
  lambda?: number;
  /**
   * AdaGrad step size of the bias and the hashed n-grams: each weight moves by
   * `rate · g / (1 + √Σg²)`, so features a tenant sends often settle and rare ones still learn. @default 0.5
   */
  learningRate?: number;
  /** AdaGrad step size for the dense features, which every request shares. @default 0.1 */
  denseLearningRate?: number;
  /** AdaGrad step size of the tenant's calibration: its weights on the base offset and the prior. @default 0.1 */
  calibrationRate?: number;
  /** L2 pull of the tenant's correction towards the prior (zero correction), per update. @default 0.001 */
  l2?: number;
  /** Share of eligible decisions that try the small tier to learn from it. @default 0.05 */
  epsilon?: number;
  /** Seed of the exploration. @default 1 */
  seed?: number;
  /** Feedback a tenant needs before its learned probability may move the tier. @default 20 */
  minimumObservations?: number;
  /**
   * Where tenants' weights are shared between processes (e.g. `createMemoryLearnerStore()` between
   * routers of one process, or the Redis store). @default none: weights stay in this learner
   */
  store?: LearnerStore;
  /** How often a tenant's weights are re-read from a shared store. @default 1000 */
  syncIntervalMs?: number;
  /** @default Date.now */
  now?: () => number;
  /** Called when the shared store fails; learning goes on locally. */
  onStoreError?: (error: unknown) => void;
}

/**
 * Weight of the label a failed strong answer teaches (escalating would not have helped). Only
 * failed strong answers give that label, so at full weight it biases the learner against every
 * request it sends strong; measured on the routing data's prequential replay.
 */
export const strongFailureWeight = 0.1;

/** AdaGrad's sums of squared gradients, one per learned weight (the hashed slots' beside their weights). */
interface Squares {
  bias: number;
  offset: number;
  prior: number;
  dense: Float64Array;
}

/**
 * A tenant's correction of the prior: logit = base + prior + bias + offsetWeight · base +
 * priorWeight · prior + dense · w + Σ hashed / √count, where base is the router's calibrated
 * offset and prior the shipped prior's centred logit.
 */
interface TenantWeights {
  observations: number;
  bias: number;
  offsetWeight: number;
  priorWeight: number;
  dense: Float64Array;
  hashed: SlotWeights;
  squares: Squares;
  syncedAt: number;
}

/** A tenant's weights as exported: plain JSON. */
export interface LearnerTenantState {
  observations: number;
  bias: number;
  offsetWeight: number;
  priorWeight: number;
  dense: number[];
  hashed: Record<string, number>;
  squares: { bias: number; offset: number; prior: number; dense: number[]; hashed: Record<string, number> };
}

/** What an exported learner holds: plain JSON (version 2 states, without calibration, import too). */
export interface LearnerState {
  version: 3;
  random: number;
  tenants: Record<string, LearnerTenantState>;
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
  /** Re-reads a tenant's weights from the shared store (nothing to do without one). */
  sync(tenantId: string): Promise<void>;
  exportState(): LearnerState;
  /** @throws ValidationError on a malformed state. */
  importState(state: unknown): void;
}

const finite = z.number().finite();
const slotRecord = z.record(z.string().regex(/^\d+$/), finite);
const denseArray = z.array(finite).length(denseSize);
const tenantSchema = z.object({
  observations: z.number().int().nonnegative(),
  bias: finite,
  offsetWeight: finite.default(0),
  priorWeight: finite.default(0),
  dense: denseArray,
  hashed: slotRecord,
  squares: z
    .object({
      bias: finite.nonnegative(),
      offset: finite.nonnegative(),
      prior: finite.nonnegative(),
      dense: denseArray,
      hashed: slotRecord,
    })
    .optional(),
});
const stateSchema = z.object({
  version: z.union([z.literal(2), z.literal(3)]),
  random: z.number().int().nonnegative(),
  tenants: z.record(z.string(), tenantSchema),
});

const emptySquares = (): Squares => ({
  bias: 0,
  offset: 0,
  prior: 0,
  dense: new Float64Array(denseSize),
});

const emptyTenant = (): TenantWeights => ({
  observations: 0,
  bias: 0,
  offsetWeight: 0,
  priorWeight: 0,
  dense: new Float64Array(denseSize),
  hashed: new SlotWeights(),
  squares: emptySquares(),
  syncedAt: Number.NEGATIVE_INFINITY,
});

/**
 * Rebuilds a tenant's weights from the store's fields: `n`, `b`, `o`, `p`, `d<i>`, `h<slot>`, and
 * the same names after `g` for AdaGrad's squared-gradient sums.
 */
function fromIncrements(fields: WeightIncrements): TenantWeights {
  const tenant = emptyTenant();
  for (const [field, value] of fields) {
    const squared = field[0] === 'g';
    const name = squared ? field.slice(1) : field;
    const target = squared ? tenant.squares : tenant;
    if (name === 'n') tenant.observations = Math.round(value);
    else if (name === 'b') target.bias = value;
    else if (name === 'o' && squared) tenant.squares.offset = value;
    else if (name === 'o') tenant.offsetWeight = value;
    else if (name === 'p' && squared) tenant.squares.prior = value;
    else if (name === 'p') tenant.priorWeight = value;
    else if (name[0] === 'd') target.dense[Number(name.slice(1))] = value;
    else if (name[0] === 'h') tenant.hashed.set(Number(name.slice(1)), value, squared);
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
  modelInput: { prior: DifficultyWeights; priorWeight?: number },
  input: LearnerOptions = {},
): OnlineLearner {
  expectObject(modelInput, 'createOnlineLearner', 'model');
  const model = readUntrusted(modelInput, 'createOnlineLearner model');
  expectObject(model.prior, 'createOnlineLearner', 'model.prior');
  const options = readOptions(input, 'createOnlineLearner');
  const rate = options.learningRate ?? 0.5;
  const denseRate = options.denseLearningRate ?? 0.1;
  const calibrationRate = options.calibrationRate ?? 0.1;
  const l2 = options.l2 ?? 0.001;
  const epsilon = options.epsilon ?? 0.05;
  // Without a shared store the tenants' weights live here alone: nothing to write or re-read.
  const store = options.store;
  const shared = store !== undefined;
  const interval = options.syncIntervalMs ?? 1000;
  const now = options.now ?? Date.now;
  const scale = model.priorWeight ?? 1;
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
    if (!store) return;
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
  // The two parts the tenant calibrates: the router's base (its offset, with the prior's mean) and
  // the prior's reordering around its mean.
  const parts = (features: FeatureVector, offset: number) => {
    const prior = scale * (difficultyLogit(model.prior, features) - model.prior.bias);
    return { base: offset + scale * model.prior.bias, prior };
  };
  const tenantLogit = (
    tenant: TenantWeights | undefined,
    features: FeatureVector,
    base: number,
    prior: number,
  ) => {
    if (!tenant || tenant.observations === 0) return 0;
    let sum = tenant.bias + tenant.offsetWeight * base + tenant.priorWeight * prior;
    for (let index = 0; index < denseSize; index++) sum += tenant.dense[index]! * features.dense[index]!;
    const count = features.count ?? features.slots.length;
    let hashed = 0;
    for (let index = 0; index < count; index++) hashed += tenant.hashed.weight(features.slots[index]!);
    return sum + hashed * slotScale(count);
  };
  const probabilityOf = (tenantId: string, features: FeatureVector, base: number, prior: number) =>
    sigmoid(base + prior + tenantLogit(tenants.get(tenantId), features, base, prior));
  const probability = (tenantId: string, features: FeatureVector, offset = 0) => {
    maybeSync(tenantId);
    const { base, prior } = parts(features, offset);
    return probabilityOf(tenantId, features, base, prior);
  };
  // AdaGrad with a unit floor on the denominator: the first steps are plain gradient steps.
  const adagrad = (squares: number, gradient: number, step: number) =>
    (step * gradient) / (1 + Math.sqrt(squares));

  return {
    enabled: options.enabled ?? true,
    probability,
    observations: (tenantId) => tenants.get(tenantId)?.observations ?? 0,
    update(tenantId, features, better, weight = 1, offset = 0) {
      const target = Math.min(1, Math.max(0, better));
      maybeSync(tenantId);
      const { base, prior } = parts(features, offset);
      const gradient = (probabilityOf(tenantId, features, base, prior) - target) * weight;
      const tenant = tenantOf(tenantId);
      const { squares } = tenant;
      const increments = store ? new Map<string, number>([['n', 1]]) : undefined;
      const scalar = (name: 'b' | 'o' | 'p', g: number, step: number) => {
        const key = name === 'b' ? 'bias' : name === 'o' ? 'offset' : 'prior';
        squares[key] += g * g;
        const delta = -adagrad(squares[key], g, step);
        if (name === 'b') tenant.bias += delta;
        else if (name === 'o') tenant.offsetWeight += delta;
        else tenant.priorWeight += delta;
        increments?.set(name, delta);
        increments?.set(`g${name}`, g * g);
      };
      tenant.observations++;
      scalar('b', gradient, rate);
      scalar('o', gradient * base + l2 * tenant.offsetWeight, calibrationRate);
      scalar('p', gradient * prior + l2 * tenant.priorWeight, calibrationRate);
      for (let index = 0; index < denseSize; index++) {
        const g = gradient * features.dense[index]! + l2 * tenant.dense[index]!;
        if (g === 0) continue;
        squares.dense[index]! += g * g;
        const delta = -adagrad(squares.dense[index]!, g, denseRate);
        tenant.dense[index]! += delta;
        increments?.set(`d${index}`, delta);
        increments?.set(`gd${index}`, g * g);
      }
      const count = features.count ?? features.slots.length;
      const share = gradient * slotScale(count);
      const { hashed } = tenant;
      for (let index = 0; index < count; index++) {
        const slot = features.slots[index]!;
        const at = hashed.entry(slot);
        const current = hashed.weightAt(at);
        const g = share + l2 * current;
        const sum = hashed.squareAt(at) + g * g;
        hashed.setSquareAt(at, sum);
        const delta = -adagrad(sum, g, rate);
        hashed.setWeightAt(at, current + delta);
        if (increments) {
          increments.set(`h${slot}`, (increments.get(`h${slot}`) ?? 0) + delta);
          increments.set(`gh${slot}`, (increments.get(`gh${slot}`) ?? 0) + g * g);
        }
      }
      if (!store || !increments) return;
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
      const out: LearnerState = { version: 3, random: random.state(), tenants: {} };
      for (const [id, tenant] of tenants) {
        const { squares } = tenant;
        out.tenants[id] = {
          observations: tenant.observations,
          bias: tenant.bias,
          offsetWeight: tenant.offsetWeight,
          priorWeight: tenant.priorWeight,
          dense: [...tenant.dense],
          hashed: tenant.hashed.record(false),
          squares: {
            bias: squares.bias,
            offset: squares.offset,
            prior: squares.prior,
            dense: [...squares.dense],
            hashed: tenant.hashed.record(true),
          },
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
            offsetWeight: tenant.offsetWeight,
            priorWeight: tenant.priorWeight,
            dense: Float64Array.from(tenant.dense),
            hashed: SlotWeights.from(tenant.hashed, tenant.squares?.hashed),
            squares: tenant.squares
              ? {
                  bias: tenant.squares.bias,
                  offset: tenant.squares.offset,
                  prior: tenant.squares.prior,
                  dense: Float64Array.from(tenant.squares.dense),
                }
              : emptySquares(),
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
