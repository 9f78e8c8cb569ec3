import { type ModelTier, parseWith } from '@forge1/core';
import { z } from 'zod';
import { modelTiers } from '../select/profiles.js';
import { featureNames } from './features.js';
import { createSeededRandom } from './seeded-random.js';

/** Options of {@link createOnlineLearner}. */
export interface LearnerOptions {
  /** Use the learned policy at all. @default false */
  enabled?: boolean;
  /** Weight of an error against cost, in units of the strongest tier's expected cost. @default 4 */
  lambda?: number;
  /** Step size of the online logistic updates. @default 0.1 */
  learningRate?: number;
  /** L2 shrinkage per update. @default 0.0005 */
  l2?: number;
  /** Share of decisions that explore a random tier at or above the floor. @default 0 */
  epsilon?: number;
  /** Seed of the exploration. @default 1 */
  seed?: number;
  /** Feedback a tenant needs before its learned policy replaces the heuristic. @default 20 */
  minimumObservations?: number;
}

/** The learner's choice for one request. */
export interface LearnedChoice {
  tier: ModelTier;
  reason: string;
  /** Expected error per tier, 0..1. */
  expectedError: Record<ModelTier, number>;
}

/** What an exported learner holds: plain JSON. */
export interface LearnerState {
  version: 1;
  random: number;
  tenants: Record<string, { observations: number; weights: Record<ModelTier, number[]> }>;
}

/** A per-tenant online logistic model of the error of each tier, minimising cost + λ × error. */
export interface OnlineLearner {
  readonly enabled: boolean;
  /** The learned tier, or null while the tenant has too little feedback (the heuristic decides). */
  choose(
    tenantId: string,
    features: readonly number[],
    relativeCost: Record<ModelTier, number>,
    floor: ModelTier,
  ): LearnedChoice | null;
  /** Learns that `tier` answered a request with these features with `error` (0 good … 1 failed). */
  update(tenantId: string, features: readonly number[], tier: ModelTier, error: number): void;
  expectedError(tenantId: string, features: readonly number[], tier: ModelTier): number;
  exportState(): LearnerState;
  /** @throws ValidationError on a malformed state. */
  importState(state: unknown): void;
}

const size = featureNames.length;
// Prior: small models fail as the score rises, advanced ones rarely; the heuristic's view.
const prior: Record<ModelTier, { bias: number; score: number }> = {
  small: { bias: -3.5, score: 6 },
  standard: { bias: -3.5, score: 5 },
  advanced: { bias: -4, score: 1.5 },
};

const priorWeights = (): Record<ModelTier, number[]> => {
  const weights = {} as Record<ModelTier, number[]>;
  for (const tier of modelTiers) {
    const vector = new Array<number>(size).fill(0);
    vector[0] = prior[tier].bias;
    vector[1] = prior[tier].score;
    weights[tier] = vector;
  }
  return weights;
};

const vectorSchema = z.array(z.number().finite()).length(size);
const stateSchema = z.object({
  version: z.literal(1),
  random: z.number().int().nonnegative(),
  tenants: z.record(
    z.string(),
    z.object({
      observations: z.number().int().nonnegative(),
      weights: z.object({ small: vectorSchema, standard: vectorSchema, advanced: vectorSchema }),
    }),
  ),
});

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const dot = (a: readonly number[], b: readonly number[]) => {
  let sum = 0;
  for (let index = 0; index < size; index++) sum += (a[index] ?? 0) * (b[index] ?? 0);
  return sum;
};

/**
 * Creates the online learner: a contextual policy over the analysis features, seeded and
 * deterministic, exportable as JSON.
 * @example
 * ```ts
 * const learner = createOnlineLearner({ enabled: true, lambda: 4 });
 * learner.update('acme', features, 'small', 1); // small failed on this request
 * ```
 */
export function createOnlineLearner(options: LearnerOptions = {}): OnlineLearner {
  const lambda = options.lambda ?? 4;
  const rate = options.learningRate ?? 0.1;
  const l2 = options.l2 ?? 0.0005;
  const epsilon = options.epsilon ?? 0;
  const minimum = options.minimumObservations ?? 20;
  let random = createSeededRandom(options.seed ?? 1);
  let tenants = new Map<string, { observations: number; weights: Record<ModelTier, number[]> }>();

  const modelOf = (tenantId: string) => {
    const known = tenants.get(tenantId);
    if (known) return known;
    const created = { observations: 0, weights: priorWeights() };
    tenants.set(tenantId, created);
    return created;
  };
  const expectedError = (tenantId: string, features: readonly number[], tier: ModelTier) =>
    sigmoid(dot((tenants.get(tenantId)?.weights ?? priorWeights())[tier], features));

  return {
    enabled: options.enabled ?? false,
    choose(tenantId, features, relativeCost, floor) {
      const model = tenants.get(tenantId);
      if (!model || model.observations < minimum) return null;
      const allowed = modelTiers.slice(modelTiers.indexOf(floor));
      const errors = {} as Record<ModelTier, number>;
      for (const tier of modelTiers) errors[tier] = expectedError(tenantId, features, tier);
      if (epsilon > 0 && random.next() < epsilon) {
        const tier = allowed[Math.floor(random.next() * allowed.length)]!;
        return { tier, reason: `learned policy exploring ${tier}`, expectedError: errors };
      }
      let best = allowed[0]!;
      let bestValue = Infinity;
      for (const tier of allowed) {
        const value = relativeCost[tier] + lambda * errors[tier];
        if (value < bestValue) {
          bestValue = value;
          best = tier;
        }
      }
      const reason = `learned policy: ${best} (expected error ${errors[best].toFixed(2)}, cost + λ×error ${bestValue.toFixed(2)})`;
      return { tier: best, reason, expectedError: errors };
    },
    update(tenantId, features, tier, error) {
      const model = modelOf(tenantId);
      const weights = model.weights[tier];
      const gradient = Math.min(1, Math.max(0, error)) - sigmoid(dot(weights, features));
      for (let index = 0; index < size; index++) {
        weights[index] =
          weights[index]! + rate * gradient * (features[index] ?? 0) - rate * l2 * weights[index]!;
      }
      model.observations++;
    },
    expectedError,
    exportState() {
      const out: LearnerState = { version: 1, random: random.state(), tenants: {} };
      for (const [id, model] of tenants) {
        out.tenants[id] = {
          observations: model.observations,
          weights: {
            small: [...model.weights.small],
            standard: [...model.weights.standard],
            advanced: [...model.weights.advanced],
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
      tenants = new Map(Object.entries(parsed.tenants).map(([id, model]) => [id, structuredClone(model)]));
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
