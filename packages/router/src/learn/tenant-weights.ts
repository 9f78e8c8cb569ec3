// A tenant's learned state: the weights of its correction of the prior, AdaGrad's sums, and the
// two predictions' losses that mix them; as kept in memory, exported as JSON and rebuilt from a
// shared store's fields.
import { parseWith } from '@forge1/core';
import { z } from 'zod';
import { denseSize } from '../model/difficulty-features.js';
import type { WeightIncrements } from './learner-store.js';
import { SlotWeights } from './slot-weights.js';

/**
 * How much a tenant's corrected probability weighs against the prior's: the logistic of the prior's
 * log-loss minus the corrected one's, both summed over the tenant's feedback before each update (an
 * exponentially weighted mix of the two predictions). A correction that predicts the tenant's
 * outcomes worse than the prior fades out instead of reordering its requests. Measured on the
 * routing data's prequential replay: on routerbench (a long shared few-shot template, a short
 * question) learning had lowered the second-half ordering by 0.018 and now leaves it level, and
 * llmrouter_dcrouter keeps its gain.
 */
export function mixtureWeight(priorLoss: number, learnedLoss: number): number {
  return 1 / (1 + Math.exp(learnedLoss - priorLoss));
}

/** A label's log-loss under a probability, at a weight. */
export const logLoss = (p: number, label: number, weight: number) =>
  -weight * (label * Math.log(Math.max(1e-9, p)) + (1 - label) * Math.log(Math.max(1e-9, 1 - p)));

/** AdaGrad's sums of squared gradients, one per learned weight (the hashed slots' beside their weights). */
export interface Squares {
  bias: number;
  offset: number;
  prior: number;
  dense: Float64Array;
}

/**
 * A tenant's correction of the prior: logit = base + prior + bias + offsetWeight · base +
 * priorWeight · prior + dense · w + Σ hashed / √count, where base is the router's calibrated
 * offset and prior the shipped prior's centred logit. The losses are each prediction's log-loss
 * on the tenant's feedback, taken before learning from it: they weigh the corrected probability
 * against the prior's (see {@link mixtureWeight}).
 */
export interface TenantWeights {
  observations: number;
  priorLoss: number;
  learnedLoss: number;
  bias: number;
  offsetWeight: number;
  priorWeight: number;
  dense: Float64Array;
  hashed: SlotWeights;
  squares: Squares;
  syncedAt: number;
  /** The second head: the same correction of the prior, for "the strong model's answer fails". */
  strong?: TenantWeights;
}

/** A tenant's weights as exported: plain JSON. */
export interface LearnerTenantState {
  observations: number;
  /** Log-loss of the prior's and of the corrected probability on the feedback (absent: 0). */
  loss?: { prior: number; learned: number };
  bias: number;
  offsetWeight: number;
  priorWeight: number;
  dense: number[];
  hashed: Record<string, number>;
  squares: { bias: number; offset: number; prior: number; dense: number[]; hashed: Record<string, number> };
  /** The head that learns where the strong model's answer fails (absent: none learnt). */
  strong?: Omit<LearnerTenantState, 'strong'>;
}

/** What an exported learner holds: plain JSON (version 2 states, without calibration, import too). */
export interface LearnerState {
  version: 3;
  random: number;
  tenants: Record<string, LearnerTenantState>;
}

const finite = z.number().finite();
const slotRecord = z.record(z.string().regex(/^\d+$/), finite);
const denseArray = z.array(finite).length(denseSize);
const headSchema = z.object({
  observations: z.number().int().nonnegative(),
  loss: z.object({ prior: finite.nonnegative(), learned: finite.nonnegative() }).optional(),
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
const tenantSchema = headSchema.extend({ strong: headSchema.optional() });
const stateSchema = z.object({
  version: z.union([z.literal(2), z.literal(3)]),
  random: z.number().int().nonnegative(),
  tenants: z.record(z.string(), tenantSchema),
});

export const emptySquares = (): Squares => ({
  bias: 0,
  offset: 0,
  prior: 0,
  dense: new Float64Array(denseSize),
});

export const emptyTenant = (): TenantWeights => ({
  observations: 0,
  priorLoss: 0,
  learnedLoss: 0,
  bias: 0,
  offsetWeight: 0,
  priorWeight: 0,
  dense: new Float64Array(denseSize),
  hashed: new SlotWeights(),
  squares: emptySquares(),
  syncedAt: Number.NEGATIVE_INFINITY,
});

/**
 * Rebuilds a tenant's weights from the store's fields: `n`, `b`, `o`, `p`, `d<i>`, `h<slot>`, the
 * same names after `g` for AdaGrad's squared-gradient sums, `lp`, `ll` for the losses, and all of
 * these after `s` for the strong head.
 */
export function fromIncrements(fields: WeightIncrements): TenantWeights {
  const tenant = emptyTenant();
  const strong = new Map<string, number>();
  for (const [field, value] of fields) {
    if (field[0] === 's') {
      strong.set(field.slice(1), value);
      continue;
    }
    const squared = field[0] === 'g';
    const name = squared ? field.slice(1) : field;
    const target = squared ? tenant.squares : tenant;
    if (field === 'lp') tenant.priorLoss = Math.max(0, value);
    else if (field === 'll') tenant.learnedLoss = Math.max(0, value);
    else if (name === 'n') tenant.observations = Math.round(value);
    else if (name === 'b') target.bias = value;
    else if (name === 'o' && squared) tenant.squares.offset = value;
    else if (name === 'o') tenant.offsetWeight = value;
    else if (name === 'p' && squared) tenant.squares.prior = value;
    else if (name === 'p') tenant.priorWeight = value;
    else if (name[0] === 'd') target.dense[Number(name.slice(1))] = value;
    else if (name[0] === 'h') tenant.hashed.set(Number(name.slice(1)), value, squared);
  }
  if (strong.size > 0) {
    const head = fromIncrements(strong);
    delete head.strong;
    tenant.strong = head;
  }
  return tenant;
}

/** A tenant's weights as exported JSON. */
export function exportTenant(tenant: TenantWeights): LearnerTenantState {
  const { squares } = tenant;
  const head: LearnerTenantState = {
    observations: tenant.observations,
    loss: { prior: tenant.priorLoss, learned: tenant.learnedLoss },
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
  if (tenant.strong) head.strong = exportTenant(tenant.strong);
  return head;
}

/** A checked exported state (an object or its JSON text). @throws ValidationError when malformed. */
export function parseLearnerState(state: unknown): z.output<typeof stateSchema> {
  return parseWith(stateSchema, typeof state === 'string' ? safeJson(state) : state, 'learner state');
}

/** A tenant's weights from a checked exported state. */
export function importTenant(
  tenant: z.output<typeof headSchema> & { strong?: z.output<typeof headSchema> | undefined },
): TenantWeights {
  const weights: TenantWeights = {
    observations: tenant.observations,
    priorLoss: tenant.loss?.prior ?? 0,
    learnedLoss: tenant.loss?.learned ?? 0,
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
  };
  if (tenant.strong) weights.strong = importTenant(tenant.strong);
  return weights;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
