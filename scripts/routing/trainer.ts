// Trains the linear difficulty model: logistic regression on soft labels, with one intercept per
// source while training (so the shared weights learn what makes a prompt harder than others of its
// source, not which source it came from), per-source balanced weights, AdaGrad and L2.
import { denseSize, hashedDimensions, slotScale } from '@forge1/router';
import type { Row } from './data.ts';

/** How the label of a row is made. */
export type LabelKind = 'better' | 'weak-fails' | 'gain' | 'difficulty' | 'blend';

/** Training settings. */
export interface TrainOptions {
  label: LabelKind;
  epochs: number;
  rate: number;
  /** L2 on the dense weights. */
  denseL2: number;
  /** L2 on the hashed weights. */
  hashedL2: number;
  /** Give each source the same total weight (else each row weighs the same). */
  balance: boolean;
  /** Learn one intercept per source (else one shared intercept). */
  perSource: boolean;
  /** Use the hashed n-grams at all. */
  ngrams: boolean;
  seed: number;
}

/** The defaults the shipped prior is trained with. */
export const defaultTrainOptions: TrainOptions = {
  label: 'difficulty',
  epochs: 30,
  rate: 0.1,
  denseL2: 1e-4,
  hashedL2: 0.1,
  balance: true,
  perSource: true,
  ngrams: true,
  seed: 7,
};

/** A trained model: shared weights and the intercept for a new source. */
export interface TrainedModel {
  bias: number;
  dense: Float64Array;
  hashed: Float32Array;
}

/** The label of a row: how much better the strong model's answer was than the weak one's (`better`), or a variant. */
export function labelOf(row: Row, kind: LabelKind): number {
  const weakFails = 1 - row.weak;
  if (kind === 'better') return Math.max(0, row.strong - row.weak);
  if (kind === 'weak-fails') return weakFails;
  if (kind === 'gain') return Math.min(1, Math.max(0, (row.strong - row.weak + 1) / 2));
  if (kind === 'difficulty') return 1 - row.meanQuality;
  return (weakFails + (1 - row.meanQuality)) / 2;
}

const mulberry = (seed: number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

/** Trains on `rows`, deterministically for a seed. */
export function train(rows: readonly Row[], options: TrainOptions = defaultTrainOptions): TrainedModel {
  const sources = [...new Set(rows.map((row) => row.source))].sort();
  const sourceIndex = new Map(sources.map((source, index) => [source, index]));
  const counts = sources.map((source) => rows.filter((row) => row.source === source).length);
  const weightOf = (row: Row) =>
    options.balance ? rows.length / sources.length / counts[sourceIndex.get(row.source)!]! : 1;
  const labels = rows.map((row) => labelOf(row, options.label));
  const biases = new Float64Array(sources.length);
  sources.forEach((source, index) => {
    const own = rows
      .map((row, i) => (row.source === source ? labels[i]! : Number.NaN))
      .filter((v) => !Number.isNaN(v));
    const mean = Math.min(0.98, Math.max(0.02, own.reduce((a, b) => a + b, 0) / own.length));
    biases[index] = Math.log(mean / (1 - mean));
  });
  if (!options.perSource) {
    const mean = Math.min(0.98, Math.max(0.02, labels.reduce((a, b) => a + b, 0) / labels.length));
    biases.fill(Math.log(mean / (1 - mean)));
  }
  const dense = new Float64Array(denseSize);
  const hashed = new Float32Array(hashedDimensions);
  const denseSquares = new Float64Array(denseSize).fill(1e-8);
  const hashedSquares = new Float32Array(hashedDimensions).fill(1e-8);
  const biasSquares = new Float64Array(sources.length).fill(1e-8);
  const random = mulberry(options.seed);
  const order = rows.map((_, index) => index);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    for (let index = order.length - 1; index > 0; index--) {
      const swap = Math.floor(random() * (index + 1));
      [order[index], order[swap]] = [order[swap]!, order[index]!];
    }
    for (const at of order) {
      const row = rows[at]!;
      const source = options.perSource ? sourceIndex.get(row.source)! : 0;
      const scale = slotScale(row.slots.length);
      let logit = biases[options.perSource ? source : 0]!;
      for (let d = 0; d < denseSize; d++) logit += dense[d]! * row.dense[d]!;
      if (options.ngrams) for (const slot of row.slots) logit += hashed[slot]! * scale;
      const predicted = 1 / (1 + Math.exp(-logit));
      const gradient = (predicted - labels[at]!) * weightOf(row);
      const b = options.perSource ? source : 0;
      biasSquares[b]! += gradient * gradient;
      biases[b]! -= (options.rate * gradient) / Math.sqrt(biasSquares[b]!);
      for (let d = 0; d < denseSize; d++) {
        const g = gradient * row.dense[d]! + options.denseL2 * dense[d]!;
        denseSquares[d]! += g * g;
        dense[d]! -= (options.rate * g) / Math.sqrt(denseSquares[d]!);
      }
      if (!options.ngrams) continue;
      for (const slot of row.slots) {
        const g = gradient * scale + options.hashedL2 * hashed[slot]!;
        hashedSquares[slot]! += g * g;
        hashed[slot]! -= (options.rate * g) / Math.sqrt(hashedSquares[slot]!);
      }
    }
  }
  // A new source starts from the mean intercept of the sources, weighted as in training.
  let bias = 0;
  let total = 0;
  counts.forEach((count, index) => {
    const weight = options.balance ? 1 : count;
    bias += biases[options.perSource ? index : 0]! * weight;
    total += weight;
  });
  return { bias: bias / total, dense, hashed };
}

/** The trained model's logit for a row. */
export function logitOf(model: TrainedModel, row: Row): number {
  let logit = model.bias;
  for (let d = 0; d < denseSize; d++) logit += model.dense[d]! * row.dense[d]!;
  const scale = slotScale(row.slots.length);
  for (const slot of row.slots) logit += model.hashed[slot]! * scale;
  return logit;
}
