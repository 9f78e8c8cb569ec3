import { expectObject, readOptions, readUntrusted } from '@forge1/core';
import { denseSize } from '../model/difficulty-features.js';
import {
  type DifficultyWeights,
  difficultyLogit,
  type FeatureVector,
  sigmoid,
  slotScale,
} from '../model/difficulty-model.js';
import type { LearnerStore } from './learner-store.js';
import { createSeededRandom } from './seeded-random.js';
import {
  emptyTenant,
  exportTenant,
  fromIncrements,
  importTenant,
  type LearnerState,
  logLoss,
  mixtureWeight,
  parseLearnerState,
  type TenantWeights,
} from './tenant-weights.js';

export type { LearnerState, LearnerTenantState } from './tenant-weights.js';

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

/**
 * How much the strong head's learnt rise above the prior (where this tenant's strong answers fail
 * more than the prior expects) lowers the probability: escalating helps less there. Measured on
 * the routing data's prequential replay, where it uses the strong answers that teach the first
 * head nothing: llmrouter_dcrouter's second-half gain +0.046 → +0.061.
 */
export const strongHeadWeight = 1;

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
  /**
   * Learns whether the strong model's answer to these features failed (`failed` 1) or was good (0),
   * from any strong answer served: the second head, whose learnt rise above the prior lowers the
   * probability (see {@link strongHeadWeight}).
   */
  updateStrong(
    tenantId: string,
    features: FeatureVector,
    failed: number,
    weight?: number,
    offset?: number,
  ): void;
  /** True when this decision should try the small tier (seeded, deterministic). */
  explore(): boolean;
  /** Re-reads a tenant's weights from the shared store (nothing to do without one). */
  sync(tenantId: string): Promise<void>;
  exportState(): LearnerState;
  /** @throws ValidationError on a malformed state. */
  importState(state: unknown): void;
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
  const probabilityOf = (
    head: TenantWeights | undefined,
    features: FeatureVector,
    base: number,
    prior: number,
  ) => sigmoid(base + prior + tenantLogit(head, features, base, prior));
  // A head's probability mixed with the prior's by their losses on the head's labels.
  const mixed = (head: TenantWeights, features: FeatureVector, base: number, prior: number, cold: number) => {
    const q = mixtureWeight(head.priorLoss, head.learnedLoss);
    return q * probabilityOf(head, features, base, prior) + (1 - q) * cold;
  };
  const probability = (tenantId: string, features: FeatureVector, offset = 0) => {
    maybeSync(tenantId);
    const { base, prior } = parts(features, offset);
    const tenant = tenants.get(tenantId);
    const cold = sigmoid(base + prior);
    if (!tenant) return cold;
    const p = tenant.observations === 0 ? cold : mixed(tenant, features, base, prior, cold);
    const strong = tenant.strong;
    if (!strong || strong.observations === 0) return p;
    // In logit space, so that the result stays a probability and keeps the order of both parts;
    // only a rise: where the strong model fails less than expected, the first head's own labels
    // (the cascaded verdicts) already say how much better it does.
    const rise = logit(mixed(strong, features, base, prior, cold)) - logit(cold);
    return rise > 0 ? sigmoid(logit(p) - strongHeadWeight * rise) : p;
  };
  const logit = (q: number) => Math.log(Math.max(1e-12, q) / Math.max(1e-12, 1 - q));
  // AdaGrad with a unit floor on the denominator: the first steps are plain gradient steps.
  const adagrad = (squares: number, gradient: number, step: number) =>
    (step * gradient) / (1 + Math.sqrt(squares));

  // One logistic step of a head (the tenant's own, or its strong head with fields after `s`).
  const learn = (
    tenantId: string,
    strongHead: boolean,
    features: FeatureVector,
    label: number,
    weight: number,
    offset: number,
  ) => {
    const target = Math.min(1, Math.max(0, label));
    maybeSync(tenantId);
    const { base, prior } = parts(features, offset);
    const owner = tenantOf(tenantId);
    let tenant = owner;
    if (strongHead) {
      owner.strong ??= emptyTenant();
      tenant = owner.strong;
    }
    const learned = probabilityOf(tenant, features, base, prior);
    const gradient = (learned - target) * weight;
    const { squares } = tenant;
    const at = strongHead ? 's' : '';
    const priorLoss = logLoss(sigmoid(base + prior), target, weight);
    const learnedLoss = logLoss(learned, target, weight);
    tenant.priorLoss += priorLoss;
    tenant.learnedLoss += learnedLoss;
    const increments = store
      ? new Map<string, number>([
          [`${at}n`, 1],
          [`${at}lp`, priorLoss],
          [`${at}ll`, learnedLoss],
        ])
      : undefined;
    const scalar = (name: 'b' | 'o' | 'p', g: number, step: number) => {
      const key = name === 'b' ? 'bias' : name === 'o' ? 'offset' : 'prior';
      squares[key] += g * g;
      const delta = -adagrad(squares[key], g, step);
      if (name === 'b') tenant.bias += delta;
      else if (name === 'o') tenant.offsetWeight += delta;
      else tenant.priorWeight += delta;
      increments?.set(`${at}${name}`, delta);
      increments?.set(`${at}g${name}`, g * g);
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
      increments?.set(`${at}d${index}`, delta);
      increments?.set(`${at}gd${index}`, g * g);
    }
    const count = features.count ?? features.slots.length;
    const share = gradient * slotScale(count);
    const { hashed } = tenant;
    for (let index = 0; index < count; index++) {
      const slot = features.slots[index]!;
      const entry = hashed.entry(slot);
      const current = hashed.weightAt(entry);
      const g = share + l2 * current;
      const sum = hashed.squareAt(entry) + g * g;
      hashed.setSquareAt(entry, sum);
      const delta = -adagrad(sum, g, rate);
      hashed.setWeightAt(entry, current + delta);
      if (increments) {
        const field = `${at}h${slot}`;
        const squaredField = `${at}gh${slot}`;
        increments.set(field, (increments.get(field) ?? 0) + delta);
        increments.set(squaredField, (increments.get(squaredField) ?? 0) + g * g);
      }
    }
    if (!store || !increments) return;
    try {
      const done = store.add(tenantId, increments);
      if (done instanceof Promise) done.catch(report);
    } catch (error) {
      report(error);
    }
  };

  return {
    enabled: options.enabled ?? true,
    probability,
    observations: (tenantId) => tenants.get(tenantId)?.observations ?? 0,
    update: (tenantId, features, better, weight = 1, offset = 0) =>
      learn(tenantId, false, features, better, weight, offset),
    updateStrong: (tenantId, features, failed, weight = 1, offset = 0) =>
      learn(tenantId, true, features, failed, weight, offset),
    explore: () => epsilon > 0 && random.next() < epsilon,
    sync,
    exportState() {
      const out: LearnerState = { version: 3, random: random.state(), tenants: {} };
      for (const [id, tenant] of tenants) out.tenants[id] = exportTenant(tenant);
      return out;
    },
    importState(state) {
      const parsed = parseLearnerState(state);
      random = createSeededRandom(parsed.random);
      tenants = new Map(Object.entries(parsed.tenants).map(([id, tenant]) => [id, importTenant(tenant)]));
    },
  };
}
